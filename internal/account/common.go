package account

import "strings"

// common is a short block list: the passwords that head every published
// list of leaked passwords, and Danish ones of the same kind, that are at
// least MinPassword characters (shorter ones fail the length rule anyway).
// It is compared case-insensitively.
var common = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`
		1234567890 12345678910 0123456789 0987654321 9876543210 1111111111 0000000000
		1q2w3e4r5t qwertyuiop 1qaz2wsx3edc asdfghjkl1 qwerty1234 qwertyuiop1 zaq12wsxcde
		password12 password123 password1234 passw0rd12 iloveyou12 princess12 sunshine12
		football12 baseball12 welcome123 abcdefghij abc1234567 a1b2c3d4e5 letmein123
		adgangskode adgangskode1 adgangskode123 kodeord123 kodeordet1 hemmelighed
		sommerferie danmark123 danmark1234 velkommen1 velkommen123 stenose123 spinalstenose
		administrator stenose1234 1234qwerty qwerty12345 11111111111 123123123123
		1234512345 1122334455 aaaaaaaaaa password!! 123456789a 123456789q
	`) {
		common[p] = true
	}
}

// IsCommonPassword reports whether pw is on the built-in block list.
func IsCommonPassword(pw string) bool { return common[strings.ToLower(pw)] }
