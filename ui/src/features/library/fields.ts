// The metadata fields as the details panel and its form show them.

import type { Field, FieldChange, FieldSource, LicenceTerms, Metadata } from "../../api";
import type { PlainMessageKey } from "../../i18n";

/** The order in which fields are shown and edited. */
export const FIELDS: readonly Field[] = [
  "title",
  "description",
  "creators",
  "keywords",
  "licence",
  "language",
  "resourceType",
  "educationalLevel",
  "sourceUrl",
  "dateCreated",
  "dateModified",
];

export const FIELD_LABELS: Record<Field, PlainMessageKey> = {
  title: "field.title",
  description: "field.description",
  creators: "field.creators",
  keywords: "field.keywords",
  licence: "field.licence",
  language: "field.language",
  resourceType: "field.resourceType",
  educationalLevel: "field.educationalLevel",
  sourceUrl: "field.sourceUrl",
  dateCreated: "field.dateCreated",
  dateModified: "field.dateModified",
};

export const FIELD_HINTS: Partial<Record<Field, PlainMessageKey>> = {
  creators: "edit.listHint",
  keywords: "edit.listHint",
  language: "edit.languageHint",
  resourceType: "edit.typeHint",
  educationalLevel: "edit.levelHint",
  sourceUrl: "edit.sourceHint",
  dateCreated: "edit.dateHint",
  dateModified: "edit.dateHint",
};

/** Fields that hold several values; the form writes them separated with `;`. */
export function isListField(field: Field): field is "creators" | "keywords" {
  return field === "creators" || field === "keywords";
}

/** A field's value as one string, lists joined with "; " as the edit form shows them. */
export function fieldText(metadata: Metadata, field: Field): string {
  if (isListField(field)) return metadata[field].join("; ");
  return metadata[field];
}

/** Fields not marked otherwise came from the file. */
export function fieldSource(metadata: Metadata, field: Field): FieldSource {
  return metadata.sources[field] ?? "extracted";
}

export type FieldValues = Record<Field, string>;

export function fieldValues(metadata: Metadata): FieldValues {
  return Object.fromEntries(
    FIELDS.map((field) => [field, fieldText(metadata, field)]),
  ) as FieldValues;
}

/**
 * The fields whose value the person changed. Spaces around a value and around list separators
 * do not count as a change: the library trims them anyway.
 */
export function changedFields(before: FieldValues, after: FieldValues): FieldChange[] {
  const normalise = (field: Field, value: string) =>
    isListField(field)
      ? value
          .split(";")
          .map((item) => item.trim())
          .filter((item) => item !== "")
          .join(";")
      : value.trim();
  return FIELDS.filter(
    (field) => normalise(field, before[field]) !== normalise(field, after[field]),
  ).map((field) => ({ field, value: after[field] }));
}

/**
 * How the licence field is edited, given which licences the resource may carry: chosen from every
 * licence (an original, or when that is not known yet: the shell still checks), from those its
 * sources allow (a copy or a combination), or not at all (a private copy keeps its licence).
 */
export type LicenceField =
  | { kind: "any" }
  | {
      kind: "limited";
      /** The allowed licences, recommended first, each part in the shell's order. */
      recommended: string[];
      more: string[];
      /**
       * The licence it carries now when that is not among the allowed ones: still offered, so
       * opening the form and saving other fields changes nothing.
       */
      current: string | null;
    }
  | { kind: "fixed"; licence: string; reason: string };

export function licenceField(terms: LicenceTerms | null, current: string): LicenceField {
  if (terms === null || terms.kind === "original") return { kind: "any" };
  if (terms.kind === "private") {
    return { kind: "fixed", licence: terms.licence, reason: terms.reason };
  }
  const allowed = terms.allowed;
  const listed = allowed.some((choice) => choice.id.toLowerCase() === current.toLowerCase());
  return {
    kind: "limited",
    recommended: allowed.filter((choice) => choice.recommended).map((choice) => choice.id),
    more: allowed.filter((choice) => !choice.recommended).map((choice) => choice.id),
    current: listed ? null : current,
  };
}
