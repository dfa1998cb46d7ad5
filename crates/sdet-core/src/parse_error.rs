//! The messages of the libraries that parse our inputs — serde (a field missing, a value of the
//! wrong type), serde_json (a JSON syntax error, with its line and column) and serde-saphyr
//! (YAML) — in French and English. They are English, and a French command line must not show
//! them as they are: their fixed forms are worded in French here, and what they quote from the
//! input or from our types (a field name, a type name) is kept as it is. A message none of these
//! forms matches is kept whole, between « », so a French reader sees what is quoted and what
//! is ours.

use crate::text::Text;

/// A serde message (`missing field `x``, `invalid type: string "a", expected u32`…) in
/// French and English; the English one is the message itself.
pub fn serde_reason(message: &str) -> Text {
    Text::new(
        serde_fr(message).unwrap_or_else(|| quoted(message)),
        message,
    )
}

/// Why a text is not the JSON expected, in French and English: the line and column where
/// serde_json stopped, and what it found. The English wording is serde_json's own.
pub fn json_reason(error: &serde_json::Error) -> Text {
    let full = error.to_string();
    let (line, column) = (error.line(), error.column());
    let suffix = format!(" at line {line} column {column}");
    let message = full.strip_suffix(&suffix).filter(|_| line > 0);
    let Some(message) = message else {
        return serde_reason(&full);
    };
    let what = json_syntax_fr(message)
        .map(str::to_owned)
        .or_else(|| serde_fr(message))
        .unwrap_or_else(|| quoted(message));
    let fr = if error.is_syntax() || error.is_eof() {
        format!("JSON invalide ligne {line}, colonne {column} : {what}")
    } else {
        format!("ligne {line}, colonne {column} : {what}")
    };
    Text::new(fr, full)
}

/// A serde-saphyr message (the first line, without its position) in French and English:
/// serde's own forms, and the commonest of serde-saphyr's (a scalar of the wrong kind, a
/// duplicate key, a file cut short).
pub fn yaml_reason(message: &str) -> Text {
    let fr = yaml_fr(message)
        .or_else(|| serde_fr(message))
        .unwrap_or_else(|| quoted(message));
    Text::new(fr, message)
}

fn yaml_fr(message: &str) -> Option<String> {
    let fixed = match message {
        "unexpected end of input" => Some("le texte s'arrête trop tôt"),
        "input is not valid UTF-8" => Some("le fichier n'est pas en UTF-8 valide"),
        "unexpected sequence end" => Some("fin de liste inattendue"),
        "unexpected mapping end" => Some("fin de table inattendue"),
        "alias references unknown anchor" => Some("l'alias renvoie à une ancre inconnue"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return Some(fixed.to_owned());
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key") {
        return Some(match rest.split_once(", set DuplicateKeyPolicy") {
            Some((key, _)) if !key.is_empty() => {
                format!("clé en double{}", key.replacen(": ", " : ", 1))
            }
            _ => "clé en double".to_owned(),
        });
    }
    if let Some(ty) = message.strip_prefix("invalid ")
        && !ty.contains(' ')
    {
        return Some(format!("valeur invalide là où il faut {}", expected(ty)));
    }
    let wanted = message.strip_prefix("expected ")?;
    let what = match wanted {
        "string scalar" | "string" | "str expected" => "une chaîne".to_owned(),
        "sequence start" | "seq" => "une liste".to_owned(),
        "mapping start" | "map" => "une table".to_owned(),
        "scalar" | "value" => "une valeur simple".to_owned(),
        "an integer" => "un entier".to_owned(),
        other => quoted(other),
    };
    Some(format!("il faut {what} ici"))
}

fn quoted(message: &str) -> String {
    format!("« {message} »")
}

/// serde_json's syntax errors (its `ErrorCode`s), which have no argument.
fn json_syntax_fr(message: &str) -> Option<&'static str> {
    Some(match message {
        "EOF while parsing a list" => "le texte s'arrête au milieu d'une liste",
        "EOF while parsing an object" => "le texte s'arrête au milieu d'un objet",
        "EOF while parsing a string" => "le texte s'arrête au milieu d'une chaîne",
        "EOF while parsing a value" => "le texte s'arrête avant une valeur",
        "expected `:`" => "« : » était attendu",
        "expected `,` or `]`" => "« , » ou « ] » était attendu",
        "expected `,` or `}`" => "« , » ou « } » était attendu",
        "expected ident" => "true, false ou null était attendu",
        "expected value" => "une valeur était attendue",
        "expected `\"`" => "« \" » était attendu",
        "invalid escape" => "séquence d'échappement invalide",
        "invalid number" => "nombre invalide",
        "number out of range" => "nombre hors limites",
        "invalid unicode code point" => "point de code Unicode invalide",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "caractère de contrôle (\\u0000-\\u001F) dans une chaîne"
        }
        "key must be a string" => "une clé doit être une chaîne",
        "lone leading surrogate in hex escape" => {
            "demi-codet isolé dans un échappement hexadécimal"
        }
        "trailing comma" => "virgule en trop",
        "trailing characters" => "des caractères suivent la fin du JSON",
        "unexpected end of hex escape" => "échappement hexadécimal incomplet",
        "recursion limit exceeded" => "imbrication trop profonde",
        _ => return None,
    })
}

/// The French of serde's own messages (`serde::de::Error`'s provided methods), `None` for
/// another message.
fn serde_fr(message: &str) -> Option<String> {
    if let Some(field) = message.strip_prefix("missing field ") {
        return Some(format!("champ {field} manquant"));
    }
    if let Some(field) = message.strip_prefix("duplicate field ") {
        return Some(format!("champ {field} en double"));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return Some(unknown(
            rest,
            "champ inconnu",
            "aucun champ attendu",
            "fields",
        ));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return Some(unknown(
            rest,
            "valeur inconnue",
            "aucune valeur attendue",
            "variants",
        ));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, wanted) = rest.split_once(", expected ")?;
        return Some(format!(
            "type invalide : {} là où il faut {}",
            unexpected(found),
            expected(wanted)
        ));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, wanted) = rest.split_once(", expected ")?;
        return Some(format!(
            "valeur invalide : {} là où il faut {}",
            unexpected(found),
            expected(wanted)
        ));
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let (length, wanted) = rest.split_once(", expected ")?;
        return Some(format!(
            "longueur invalide ({length}) là où il faut {}",
            expected(wanted)
        ));
    }
    None
}

/// `` `x`, expected one of `a`, `b` `` (or `` `a` or `b` ``, or `there are no fields`).
fn unknown(rest: &str, what: &str, none: &str, plural: &str) -> String {
    if let Some((name, known)) = rest.split_once(", expected ") {
        let known = match known.strip_prefix("one of ") {
            Some(list) => format!("l'un de {list}"),
            None => known.replace("` or `", "` ou `"),
        };
        format!("{what} {name}, attendu {known}")
    } else if let Some((name, _)) = rest.split_once(&format!(", there are no {plural}")) {
        format!("{what} {name} : {none}")
    } else {
        format!("{what} {rest}")
    }
}

/// What serde found instead (`serde::de::Unexpected`'s wording; serde_json says `null`).
fn unexpected(found: &str) -> String {
    let fixed = match found {
        "byte array" => Some("une suite d'octets"),
        "unit value" | "null" => Some("null"),
        "Option value" => Some("une valeur optionnelle"),
        "newtype struct" => Some("une structure"),
        "sequence" => Some("une liste"),
        "map" => Some("une table"),
        "enum" | "unit variant" | "newtype variant" | "tuple variant" | "struct variant" => {
            Some("une variante")
        }
        _ => None,
    };
    if let Some(fixed) = fixed {
        return fixed.to_owned();
    }
    for (english, french) in [
        ("boolean ", "le booléen "),
        ("integer ", "l'entier "),
        ("floating point ", "le nombre "),
        ("character ", "le caractère "),
    ] {
        if let Some(value) = found.strip_prefix(english) {
            return format!("{french}{value}");
        }
    }
    if let Some(text) = found.strip_prefix("string ") {
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        return format!("la chaîne « {text} »");
    }
    quoted(found)
}

/// What serde expected (a `serde::de::Expected`: a type's or a visitor's own words).
fn expected(wanted: &str) -> String {
    let fixed = match wanted {
        "a string" | "a borrowed string" => Some("une chaîne"),
        "a boolean" => Some("un booléen"),
        "a sequence" => Some("une liste"),
        "a map" => Some("une table"),
        "a character" => Some("un caractère"),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => Some("un entier positif"),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => Some("un entier"),
        "f32" | "f64" => Some("un nombre"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return fixed.to_owned();
    }
    for (english, french) in [
        ("struct ", "la structure "),
        ("enum ", "l'énumération "),
        ("tuple struct ", "la structure "),
    ] {
        if let Some(name) = wanted.strip_prefix(english)
            && !name.contains(' ')
        {
            return format!("{french}`{name}`");
        }
    }
    quoted(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    fn fr(message: &str) -> String {
        serde_reason(message).get(Lang::Fr).to_owned()
    }

    #[test]
    fn serde_forms_are_worded_in_french_and_kept_in_english() {
        assert_eq!(fr("missing field `service`"), "champ `service` manquant");
        assert_eq!(
            fr("unknown field `bogus`, expected one of `name`, `portal`"),
            "champ inconnu `bogus`, attendu l'un de `name`, `portal`"
        );
        assert_eq!(
            fr("unknown field `x`, expected `a` or `b`"),
            "champ inconnu `x`, attendu `a` ou `b`"
        );
        assert_eq!(
            fr("unknown field `x`, there are no fields"),
            "champ inconnu `x` : aucun champ attendu"
        );
        assert_eq!(
            fr("unknown variant `pdf`, expected `json` or `html`"),
            "valeur inconnue `pdf`, attendu `json` ou `html`"
        );
        assert_eq!(
            fr("invalid type: string \"lots\", expected usize"),
            "type invalide : la chaîne « lots » là où il faut un entier positif"
        );
        assert_eq!(
            fr("invalid type: map, expected a sequence"),
            "type invalide : une table là où il faut une liste"
        );
        assert_eq!(
            fr("invalid type: integer `3`, expected struct Report"),
            "type invalide : l'entier `3` là où il faut la structure `Report`"
        );
        assert_eq!(
            fr("invalid value: integer `-1`, expected a positive count"),
            "valeur invalide : l'entier `-1` là où il faut « a positive count »"
        );
        let odd = serde_reason("something else happened");
        assert_eq!(odd.get(Lang::Fr), "« something else happened »");
        assert_eq!(odd.get(Lang::En), "something else happened");
    }

    #[test]
    fn serde_saphyrs_commonest_messages_are_worded_in_french() {
        let fr = |m: &str| yaml_reason(m).get(Lang::Fr).to_owned();
        assert_eq!(
            fr("invalid u32"),
            "valeur invalide là où il faut un entier positif"
        );
        assert_eq!(fr("expected string scalar"), "il faut une chaîne ici");
        assert_eq!(
            fr("duplicate mapping key: id, set DuplicateKeyPolicy in Options if acceptable"),
            "clé en double : id"
        );
        assert_eq!(fr("missing field `axis`"), "champ `axis` manquant");
        assert_eq!(
            yaml_reason("did not find expected key"),
            Text::new("« did not find expected key »", "did not find expected key")
        );
    }

    #[test]
    fn a_json_error_names_its_line_and_column_in_french() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Report {
            format_version: u32,
        }

        let err = serde_json::from_str::<serde_json::Value>("pas du JSON").expect_err("not JSON");
        let reason = json_reason(&err);
        assert_eq!(
            reason.get(Lang::Fr),
            "JSON invalide ligne 1, colonne 1 : une valeur était attendue"
        );
        assert_eq!(reason.get(Lang::En), "expected value at line 1 column 1");
        let err = serde_json::from_str::<serde_json::Value>("[1").expect_err("cut");
        assert_eq!(
            json_reason(&err).get(Lang::Fr),
            "JSON invalide ligne 1, colonne 2 : le texte s'arrête au milieu d'une liste"
        );
        let err = serde_json::from_str::<Report>("{}").expect_err("missing");
        assert_eq!(
            json_reason(&err).get(Lang::Fr),
            "ligne 1, colonne 2 : champ `format_version` manquant"
        );
        // From a `Value`: no position, serde's words only.
        let err = serde_json::from_value::<Report>(serde_json::json!({})).expect_err("missing");
        assert_eq!(
            json_reason(&err),
            Text::new(
                "champ `format_version` manquant",
                "missing field `format_version`"
            )
        );
    }
}
