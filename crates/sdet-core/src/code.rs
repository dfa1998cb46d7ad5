//! The one scheme of every code the tool shows (diagnostics, feed and export findings, errors):
//! `area::name`, a lowercase area naming the place that defines the code, then a lowercase
//! kebab-case name — `sdet::duplicate-id`, `aaf::bad-uai`, `gar::unknown-mef`, `cli::usage`.
//! Each place declares its codes once, with [`codes!`](crate::codes), as one enum: the single
//! source of truth its findings, its documentation test and the tool-wide uniqueness test read.

use std::collections::BTreeSet;

/// Declares a code enum whose codes are all in one area: the enum, `AREA`, `ALL` (in
/// documentation order), `as_str` (`area::name`), `names` and `Display`.
///
/// ```
/// sdet_core::codes! {
///     /// What can go wrong with a widget.
///     pub enum Code in "widget" {
///         /// The widget is missing.
///         Missing = "missing",
///     }
/// }
/// assert_eq!(Code::Missing.as_str(), "widget::missing");
/// ```
#[macro_export]
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $area:literal {
            $($(#[$variant_meta:meta])* $variant:ident = $code:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name {
            $($(#[$variant_meta])* $variant,)*
        }

        impl $name {
            /// The area of every code of this type: what comes before `::`.
            pub const AREA: &'static str = $area;

            /// Every code, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The code as users see it and grep for: `area::name`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($area, "::", $code),)*
                }
            }

            /// Every code as users see it, for comparing with what a page documents.
            pub fn names() -> ::std::collections::BTreeSet<&'static str> {
                Self::ALL.iter().map(|c| c.as_str()).collect()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Whether `code` follows the scheme: a lowercase area, `::`, a lowercase kebab-case name.
pub fn is_well_formed(code: &str) -> bool {
    let word = |w: &str| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    code.split_once("::")
        .is_some_and(|(area, name)| word(area) && name.split('-').all(word))
}

/// The codes of `area` a Markdown text names in backticks (`` `gar::xml` ``): what the tests
/// that keep the documentation and the code in step compare with a code enum's `ALL`.
pub fn named_in<'a>(markdown: &'a str, area: &str) -> BTreeSet<&'a str> {
    let opening = format!("`{area}::");
    markdown
        .match_indices(&opening)
        .filter_map(|(at, _)| {
            let rest = &markdown[at + 1..];
            let code = &rest[..rest.find('`')?];
            is_well_formed(code).then_some(code)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_is_area_then_kebab_case() {
        assert!(is_well_formed("aaf::bad-uai"));
        assert!(is_well_formed("sdet::yaml"));
        for bad in [
            "gar-xml",
            "aaf::Bad",
            "aaf::bad_uai",
            "::x",
            "aaf::",
            "a::b--c",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn codes_are_read_from_backticks_only() {
        let text =
            "| `gar::xml` | … `gar::unknown-mef`, not gar::bare nor `aaf::io` nor `gar::x y`";
        let found: Vec<&str> = named_in(text, "gar").into_iter().collect();
        assert_eq!(found, ["gar::unknown-mef", "gar::xml"]);
    }
}
