// Sample resources for the library tests, shaped as the shell returns them.

import type { ImportReport, ResourceDetails, SearchHit } from "../generated/ipc";

export function sampleHit(id: string, title: string, extra: Partial<SearchHit> = {}): SearchHit {
  return {
    id,
    title,
    licence: "CC-BY-SA-4.0",
    mediaType: "application/pdf",
    resourceType: "worksheet",
    language: "en",
    updatedAt: Date.UTC(2024, 4, 3, 12),
    fileName: `${title.toLowerCase().replace(/\s+/g, "-")}.pdf`,
    trashedAt: null,
    snippet: [],
    ...extra,
  };
}

export function sampleResource(
  id: string,
  title: string,
  extra: Partial<ResourceDetails> = {},
): ResourceDetails {
  return {
    id,
    head: "5d41402abc4b2a76b9719d911017c592",
    metadata: {
      title,
      description: "Label the parts of a leaf and explain what each one does.",
      creators: ["Ana Souza", "Ben Okafor"],
      licence: "CC-BY-SA-4.0",
      language: "en",
      keywords: ["biology", "plants"],
      educationalLevel: "Year 9",
      resourceType: "worksheet",
      sourceUrl: "https://example.org/photosynthesis",
      dateCreated: "2021-09-14",
      dateModified: "",
      sources: {},
    },
    fileName: "photosynthesis.pdf",
    mediaType: "application/pdf",
    size: 1_450_000,
    object: "9f86d081884c7d659a2feaa0c55ad015",
    createdAt: Date.UTC(2024, 4, 1, 9),
    updatedAt: Date.UTC(2024, 4, 3, 12),
    trashedAt: null,
    revisionCount: 2,
    imageSize: null,
    sourceRemoved: false,
    collections: [],
    ...extra,
  };
}

export const sampleReport: ImportReport = {
  cancelled: false,
  items: [
    {
      path: "/home/ada/oer/leaf.pdf",
      warnings: [],
      status: "imported",
      resourceId: "r-leaf",
      title: "Parts of a leaf",
    },
    {
      path: "/home/ada/oer/photosynthesis.pdf",
      warnings: [],
      status: "duplicate",
      resourceId: "r-photo",
      title: "Photosynthesis",
    },
    {
      path: "/home/ada/oer/notes.xyz",
      warnings: [],
      status: "skipped",
      reason: "Commonplace can’t read this kind of file.",
    },
  ],
};
