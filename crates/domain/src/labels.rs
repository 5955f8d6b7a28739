//! Enumerations that travel as a snake_case code (API, database) and show as a Chinese label
//! (pages, spreadsheets): one macro so every such enum parses and prints the same way.

/// Declares an enum with `ALL`, `code`, `label`, `parse` (by code) and `from_label` (by the
/// Chinese label, as typed in a spreadsheet), serialized as its code.
#[macro_export]
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            pub fn from_label(label: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.label() == label)
            }

            /// The labels joined for a message: "甲、乙、丙".
            pub fn labels() -> String {
                Self::ALL.iter().map(|v| v.label()).collect::<Vec<_>>().join("、")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
