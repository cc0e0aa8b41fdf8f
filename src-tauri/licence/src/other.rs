//! Licences outside Creative Commons that open educational resources actually carry: software
//! licences (code in a lesson), the GNU FDL (older Wikipedia text), and open government and data
//! licences. Each is known by its SPDX id.
//!
//! The list is deliberately short and holds open licences only. Commonplace does not model their
//! terms (see [`Licence::Other`](crate::Licence::Other) for how the rules treat them); it keeps the id
//! so that nothing is lost and attribution can name and link the licence. An id that is not here is
//! not recognised, so the caller records the resource as `unknown`: guessing that an unfamiliar id is
//! open could let someone share what they may not.

/// A licence outside Creative Commons, known by its SPDX id. Only the open licences in Commonplace's
/// list can be represented, so every value is one whose id and name are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OtherLicence {
    id: &'static str,
    name: &'static str,
}

impl OtherLicence {
    /// The SPDX id, in the SPDX list's spelling (e.g. `GFDL-1.3-or-later`, `etalab-2.0`).
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The licence's full English name, as the SPDX list gives it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The licence's page on the SPDX list, which links its full text. Attribution uses it as the
    /// licence link, since these licences have no Creative Commons deed.
    pub(crate) fn spdx_url(&self) -> String {
        format!("https://spdx.org/licenses/{}.html", self.id)
    }

    /// Finds an SPDX id in the list, ignoring case as the SPDX specification asks. Deprecated ids
    /// that are still common in metadata (`GPL-3.0`, `GPL-3.0+`) give their current equivalent.
    pub(crate) fn from_id(id: &str) -> Option<Self> {
        let id = DEPRECATED
            .iter()
            .find(|(deprecated, _)| deprecated.eq_ignore_ascii_case(id))
            .map_or(id, |(_, current)| *current);
        KNOWN.iter().find(|(known, _)| known.eq_ignore_ascii_case(id)).map(|&(id, name)| Self { id, name })
    }

    /// Every licence in the list, for tests and for a licence picker.
    pub(crate) fn all() -> impl Iterator<Item = Self> {
        KNOWN.iter().map(|&(id, name)| Self { id, name })
    }
}

/// SPDX ids and names (SPDX License List), grouped by kind. All are open: OSI- or FSF-approved
/// software licences, or open content, data and government licences.
const KNOWN: &[(&str, &str)] = &[
    // Permissive software licences.
    ("0BSD", "BSD Zero Clause License"),
    ("Apache-2.0", "Apache License 2.0"),
    ("BSD-2-Clause", "BSD 2-Clause \"Simplified\" License"),
    ("BSD-3-Clause", "BSD 3-Clause \"New\" or \"Revised\" License"),
    ("BSL-1.0", "Boost Software License 1.0"),
    ("ISC", "ISC License"),
    ("MIT", "MIT License"),
    ("MIT-0", "MIT No Attribution"),
    ("Unlicense", "The Unlicense"),
    ("Zlib", "zlib License"),
    // Copyleft software and documentation licences.
    ("AGPL-3.0-only", "GNU Affero General Public License v3.0 only"),
    ("AGPL-3.0-or-later", "GNU Affero General Public License v3.0 or later"),
    ("Artistic-2.0", "Artistic License 2.0"),
    ("CECILL-2.1", "CeCILL Free Software License Agreement v2.1"),
    ("EPL-2.0", "Eclipse Public License 2.0"),
    ("EUPL-1.2", "European Union Public License 1.2"),
    ("GFDL-1.1-only", "GNU Free Documentation License v1.1 only"),
    ("GFDL-1.1-or-later", "GNU Free Documentation License v1.1 or later"),
    ("GFDL-1.2-only", "GNU Free Documentation License v1.2 only"),
    ("GFDL-1.2-or-later", "GNU Free Documentation License v1.2 or later"),
    ("GFDL-1.3-only", "GNU Free Documentation License v1.3 only"),
    ("GFDL-1.3-or-later", "GNU Free Documentation License v1.3 or later"),
    ("GPL-2.0-only", "GNU General Public License v2.0 only"),
    ("GPL-2.0-or-later", "GNU General Public License v2.0 or later"),
    ("GPL-3.0-only", "GNU General Public License v3.0 only"),
    ("GPL-3.0-or-later", "GNU General Public License v3.0 or later"),
    ("LGPL-2.1-only", "GNU Lesser General Public License v2.1 only"),
    ("LGPL-2.1-or-later", "GNU Lesser General Public License v2.1 or later"),
    ("LGPL-3.0-only", "GNU Lesser General Public License v3.0 only"),
    ("LGPL-3.0-or-later", "GNU Lesser General Public License v3.0 or later"),
    ("MPL-2.0", "Mozilla Public License 2.0"),
    ("OFL-1.1", "SIL Open Font License 1.1"),
    // Open data and open government licences.
    ("CDLA-Permissive-2.0", "Community Data License Agreement Permissive 2.0"),
    ("DL-DE-BY-2.0", "Data licence Germany – attribution – version 2.0"),
    ("DL-DE-ZERO-2.0", "Data licence Germany – zero – version 2.0"),
    ("etalab-2.0", "Etalab Open License 2.0"),
    ("NLOD-2.0", "Norwegian Licence for Open Government Data (NLOD) 2.0"),
    ("ODbL-1.0", "Open Data Commons Open Database License v1.0"),
    ("ODC-By-1.0", "Open Data Commons Attribution License v1.0"),
    ("OGL-Canada-2.0", "Open Government Licence - Canada"),
    ("OGL-UK-3.0", "Open Government Licence v3.0"),
    ("PDDL-1.0", "Open Data Commons Public Domain Dedication & License 1.0"),
];

/// Deprecated SPDX ids and the id that replaced them.
const DEPRECATED: &[(&str, &str)] = &[
    ("AGPL-3.0", "AGPL-3.0-only"),
    ("GFDL-1.1", "GFDL-1.1-only"),
    ("GFDL-1.2", "GFDL-1.2-only"),
    ("GFDL-1.3", "GFDL-1.3-only"),
    ("GPL-2.0", "GPL-2.0-only"),
    ("GPL-2.0+", "GPL-2.0-or-later"),
    ("GPL-3.0", "GPL-3.0-only"),
    ("GPL-3.0+", "GPL-3.0-or-later"),
    ("LGPL-2.1", "LGPL-2.1-only"),
    ("LGPL-2.1+", "LGPL-2.1-or-later"),
    ("LGPL-3.0", "LGPL-3.0-only"),
    ("LGPL-3.0+", "LGPL-3.0-or-later"),
];
