// The metadata fields as the details panel and its form show them.

import type { Field, FieldChange, FieldSource, Metadata } from "../../api";
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
