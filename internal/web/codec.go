package web

// sessionCodec encodes the session's values for the database. scs's default
// (encoding/gob) builds a new decoder, with its type compilation, for every
// request: in a profile of the diary write load, decoding the session cost
// as much CPU as storing the entry. stenose keeps only a few values of a few
// types in a session (the user's id, a flash message), so a plain binary
// layout does:
//
//	"S1" | deadline (unix s, 8 bytes; ns, 4 bytes) | count (uvarint) |
//	count × (key len (uvarint) | key | type byte | value)
//
// with int64 as a zig-zag varint, string as uvarint length + bytes, and bool
// as one byte. Any other type is an error when the session is saved, so a
// new kind of value cannot be dropped silently. Sessions saved by an older
// stenose (gob) are still read.
//
// The session store reads two things of every session it finds without
// decoding its values (headOf): the deadline, at a fixed place, and the
// patient's "stay signed in" choice (sessionKeepKey, a bool), found by
// walking the entries' lengths — a few bytes, no allocation. The choice
// is an ordinary value on purpose, not a flag in a new header ("S2"): a
// stenose of the day before reads it too (and keeps it when it saves the
// session), so several instances of two versions, during a rolling
// upgrade or after a rollback (docs/operations.md), still read each
// other's sessions instead of answering 500 to every patient who ticked
// the box.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

type sessionCodec struct{}

var _ scs.Codec = sessionCodec{}

const (
	codecMagic = "S1"

	tInt64  byte = 'i'
	tString byte = 's'
	tBool   byte = 'b'
)

var errSessionData = errors.New("session data: malformed")

func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := make([]byte, 0, 32)
	b = append(b, codecMagic...)
	b = binary.BigEndian.AppendUint64(b, uint64(deadline.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(deadline.Nanosecond()))
	b = binary.AppendUvarint(b, uint64(len(values)))
	for _, k := range slices.Sorted(maps.Keys(values)) { // stable bytes for equal sessions
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		switch v := values[k].(type) {
		case int64:
			b = append(b, tInt64)
			b = binary.AppendVarint(b, v)
		case string:
			b = append(b, tString)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case bool:
			b = append(b, tBool)
			if v {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		default:
			return nil, fmt.Errorf("session data: %q holds a %T, which the session codec does not store", k, v)
		}
	}
	return b, nil
}

func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) < len(codecMagic) || string(b[:len(codecMagic)]) != codecMagic {
		return gobDecode(b) // saved before this codec
	}
	deadline, values, err := decodeSession(b[len(codecMagic):])
	if err != nil {
		// A gob stream may begin with the same two bytes by chance.
		if d, v, gerr := gobDecode(b); gerr == nil {
			return d, v, nil
		}
		return time.Time{}, nil, err
	}
	return deadline, values, nil
}

// gobDecode reads a session saved with scs's gob codec. time.Time's binary
// form does not check its nanoseconds, so a stored deadline may hold more
// than a second of them; time.Unix carries them into the seconds, so the
// deadline is the same instant written in range.
func gobDecode(b []byte) (time.Time, map[string]any, error) {
	d, v, err := scs.GobCodec{}.Decode(b)
	if err != nil {
		return d, v, err
	}
	return time.Unix(d.Unix(), int64(d.Nanosecond())).In(d.Location()), v, nil
}

func decodeSession(b []byte) (time.Time, map[string]any, error) {
	if len(b) < 12 {
		return time.Time{}, nil, errSessionData
	}
	ns := binary.BigEndian.Uint32(b[8:])
	if ns >= 1e9 {
		return time.Time{}, nil, errSessionData
	}
	deadline := time.Unix(int64(binary.BigEndian.Uint64(b)), int64(ns)).UTC()
	b = b[12:]
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)) {
		return time.Time{}, nil, errSessionData
	}
	b = b[w:]
	values := make(map[string]any, n)
	str := func() (string, bool) {
		l, w := binary.Uvarint(b)
		if w <= 0 || l > uint64(len(b)-w) {
			return "", false
		}
		s := string(b[w : w+int(l)])
		b = b[w+int(l):]
		return s, true
	}
	for range n {
		k, ok := str()
		if !ok || len(b) == 0 {
			return time.Time{}, nil, errSessionData
		}
		t := b[0]
		b = b[1:]
		switch t {
		case tInt64:
			v, w := binary.Varint(b)
			if w <= 0 {
				return time.Time{}, nil, errSessionData
			}
			b = b[w:]
			values[k] = v
		case tString:
			v, ok := str()
			if !ok {
				return time.Time{}, nil, errSessionData
			}
			values[k] = v
		case tBool:
			if len(b) == 0 || b[0] > 1 {
				return time.Time{}, nil, errSessionData
			}
			values[k] = b[0] == 1
			b = b[1:]
		default:
			return time.Time{}, nil, errSessionData
		}
	}
	if len(b) != 0 {
		return time.Time{}, nil, errSessionData
	}
	return deadline, values, nil
}

// headOf reads what the session store needs of a session's data without
// decoding its values: scs's absolute deadline, and whether the session
// is kept (sessionKeepKey holds true). ok is false when Decode would fail;
// otherwise the answer is Decode's (FuzzSessionCodec checks both).
func headOf(b []byte) (deadline time.Time, keep, ok bool) {
	if h, ok := walkHead(b); ok {
		return h.deadline, h.keep, true
	}
	d, values, err := sessionCodec{}.Decode(b) // gob, or a gob stream that begins with the magic by chance
	if err != nil {
		return time.Time{}, false, false
	}
	keep, _ = values[sessionKeepKey].(bool)
	return d, keep, true
}

type head struct {
	deadline time.Time
	keep     bool
}

// walkHead is decodeSession's checks without building the values.
func walkHead(b []byte) (head, bool) {
	if len(b) < len(codecMagic)+12 || string(b[:len(codecMagic)]) != codecMagic {
		return head{}, false
	}
	b = b[len(codecMagic):]
	ns := binary.BigEndian.Uint32(b[8:])
	if ns >= 1e9 {
		return head{}, false
	}
	h := head{deadline: time.Unix(int64(binary.BigEndian.Uint64(b)), int64(ns)).UTC()}
	b = b[12:]
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)) {
		return head{}, false
	}
	b = b[w:]
	skip := func() ([]byte, bool) { // a length-prefixed string
		l, w := binary.Uvarint(b)
		if w <= 0 || l > uint64(len(b)-w) {
			return nil, false
		}
		s := b[w : w+int(l)]
		b = b[w+int(l):]
		return s, true
	}
	for range n {
		k, ok := skip()
		if !ok || len(b) == 0 {
			return head{}, false
		}
		t := b[0]
		b = b[1:]
		if string(k) == sessionKeepKey { // the last one counts, as in Decode's map
			h.keep = t == tBool && len(b) > 0 && b[0] == 1
		}
		switch t {
		case tInt64:
			_, w := binary.Varint(b)
			if w <= 0 {
				return head{}, false
			}
			b = b[w:]
		case tString:
			if _, ok := skip(); !ok {
				return head{}, false
			}
		case tBool:
			if len(b) == 0 || b[0] > 1 {
				return head{}, false
			}
			b = b[1:]
		default:
			return head{}, false
		}
	}
	if len(b) != 0 {
		return head{}, false
	}
	return h, true
}
