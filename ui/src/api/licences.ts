// The licences the shell knows, with their names, deeds and Creative Commons icons.

import type { LicenceInfo } from "../generated/ipc";
import { call } from "./call";

export function listKnownLicences(): Promise<LicenceInfo[]> {
  return call("licence_list_known", {});
}
