//! The school and the people of the reference ENT: who may log in, and what its CAS tells a
//! service about them.
//!
//! An SDET-conforming CAS releases an *identity vector* with each validated ticket: the national
//! profile (`ENTPersonProfils`), the attachment structure and its UAI, the names, the AAF join key
//! and, for a pupil, the classes. The values here are invented but have the shapes real AAF feeds
//! carry (`$`-separated composites, a UAI whose check letter is right), so the probes that judge
//! those shapes have something true to pass on.

use super::random_alphanumeric;

/// Length of the random passwords. They change at every start so nothing can hard-code them.
const PASSWORD_LEN: usize = 20;

/// The UAI alphabet: 23 letters, without I, O and Q which read like digits.
const UAI_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// The check letter of a UAI (formerly RNE), from its first seven digits.
///
/// The national rule: the seven-digit number modulo 23 indexes [`UAI_LETTERS`]. For example
/// `0750654` gives `D` (lycée Henri-IV is `0750654D`). Returns `None` unless `digits` is exactly
/// seven ASCII digits.
pub(crate) fn uai_check_letter(digits: &str) -> Option<char> {
    if digits.len() != 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: usize = digits.parse().ok()?;
    UAI_LETTERS.get(number % 23).map(|&b| char::from(b))
}

/// The three profiles an SDET CAS must tell apart for the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    /// A pupil.
    Eleve,
    /// A teacher.
    Enseignant,
    /// A parent or legal guardian.
    Parent,
}

impl Profile {
    /// The profile's name in the public API (`DemoAccount::profile`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Profile::Eleve => "eleve",
            Profile::Enseignant => "enseignant",
            Profile::Parent => "parent",
        }
    }

    /// The national `ENTPersonProfils` value (`National_1` pupil, `National_2` parent,
    /// `National_3` teacher).
    pub(crate) fn national_code(self) -> &'static str {
        match self {
            Profile::Eleve => "National_1",
            Profile::Parent => "National_2",
            Profile::Enseignant => "National_3",
        }
    }
}

impl Profile {
    /// A local code some ENTs send instead of a national one (the `cas-local-profile-codes`
    /// defect): the ENT's internal profile name, as entcore names its profiles. (`National_ELV`
    /// and `National_ENS` are not local: they are the annuaire's and the GAR's national codes.)
    pub(crate) fn local_code(self) -> &'static str {
        match self {
            Profile::Eleve => "Student",
            Profile::Parent => "Relative",
            Profile::Enseignant => "Teacher",
        }
    }
}

/// The school every demo account is attached to.
#[derive(Debug)]
pub(crate) struct School {
    /// The AAF join key of the structure (`ENTStructureJointure`).
    pub jointure: &'static str,
    /// The school's UAI, with its computed check letter.
    pub uai: String,
}

/// One account of the reference ENT.
#[derive(Debug)]
pub(crate) struct Person {
    pub profile: Profile,
    pub username: &'static str,
    pub password: String,
    pub last_name: &'static str,
    pub first_name: &'static str,
    /// The AAF join key (`ENTPersonJointure`).
    pub jointure: &'static str,
    /// Class codes, for a pupil only.
    pub classes: &'static [&'static str],
}

/// The school and its accounts. A fixed array, so "the pupil" always exists without a lookup
/// that could fail.
#[derive(Debug)]
pub(crate) struct Directory {
    pub school: School,
    pub people: [Person; 3],
}

impl Directory {
    /// The demo school and its three accounts, with fresh random passwords.
    pub(crate) fn generate() -> Directory {
        let person = |profile, username, last_name, first_name, jointure, classes| Person {
            profile,
            username,
            password: random_alphanumeric(PASSWORD_LEN),
            last_name,
            first_name,
            jointure,
            classes,
        };
        let uai_digits = "0750001";
        let uai = match uai_check_letter(uai_digits) {
            Some(letter) => format!("{uai_digits}{letter}"),
            None => uai_digits.to_owned(),
        };
        Directory {
            school: School {
                jointure: "4821",
                uai,
            },
            people: [
                person(
                    Profile::Eleve,
                    "lea.martin",
                    "MARTIN",
                    "Léa",
                    "4750001",
                    &["4A"],
                ),
                person(
                    Profile::Enseignant,
                    "karim.benali",
                    "BENALI",
                    "Karim",
                    "4750002",
                    &[],
                ),
                person(
                    Profile::Parent,
                    "sophie.martin",
                    "MARTIN",
                    "Sophie",
                    "4750003",
                    &[],
                ),
            ],
        }
    }

    /// The account with these credentials, if both match.
    pub(crate) fn authenticate(&self, username: &str, password: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.username == username && p.password == password)
    }

    /// The account with this username.
    pub(crate) fn person(&self, username: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.username == username)
    }

    /// The pupil, whom a CAS that accepts invented tickets ends up impersonating.
    pub(crate) fn pupil(&self) -> &Person {
        &self.people[0]
    }

    /// Someone other than `username`: the next account in the list, cyclically. This is the
    /// confusion the `cas-wrong-user` defect stages.
    pub(crate) fn someone_else(&self, username: &str) -> &Person {
        let at = self.people.iter().position(|p| p.username == username);
        let next = at.map_or(0, |i| (i + 1) % self.people.len());
        &self.people[next]
    }

    /// The SDET identity vector of `person`, as (attribute name, value) pairs in release order.
    /// Multi-valued attributes repeat their name, as CAS does.
    pub(crate) fn identity_vector(&self, person: &Person) -> Vec<(&'static str, String)> {
        let mut vector = vec![
            (
                "ENTPersonProfils",
                person.profile.national_code().to_owned(),
            ),
            ("ENTPersonStructRattach", self.school.jointure.to_owned()),
            ("ENTPersonStructRattachUAI", self.school.uai.clone()),
            ("ENTPersonNom", person.last_name.to_owned()),
            ("ENTPersonPrenom", person.first_name.to_owned()),
            ("ENTPersonJointure", person.jointure.to_owned()),
        ];
        // AAF composite: `<structure jointure>$<class code>`.
        for class in person.classes {
            vector.push((
                "ENTEleveClasses",
                format!("{}${class}", self.school.jointure),
            ));
        }
        vector
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uai_check_letters_match_real_establishments() {
        // Lycées Henri-IV and Louis-le-Grand (Paris), Bergson and Balzac: public UAIs.
        assert_eq!(uai_check_letter("0750654"), Some('D'));
        assert_eq!(uai_check_letter("0750655"), Some('E'));
        assert_eq!(uai_check_letter("0750711"), Some('R'));
        assert_eq!(uai_check_letter("0750705"), Some('J'));
    }

    #[test]
    fn uai_check_letter_needs_seven_digits() {
        assert_eq!(uai_check_letter("075065"), None);
        assert_eq!(uai_check_letter("07506540"), None);
        assert_eq!(uai_check_letter("075065A"), None);
        assert_eq!(uai_check_letter("+750654"), None);
    }

    #[test]
    fn demo_school_uai_is_valid() {
        let directory = Directory::generate();
        assert_eq!(directory.school.uai, "0750001U");
    }

    #[test]
    fn passwords_are_random_per_directory() {
        let (a, b) = (Directory::generate(), Directory::generate());
        assert_eq!(a.pupil().password.len(), PASSWORD_LEN);
        assert_ne!(a.pupil().password, b.pupil().password);
    }

    #[test]
    fn authenticate_needs_both_username_and_password() {
        let directory = Directory::generate();
        let pupil = directory.pupil();
        assert!(
            directory
                .authenticate(pupil.username, &pupil.password)
                .is_some()
        );
        assert!(directory.authenticate(pupil.username, "wrong").is_none());
        let teacher = &directory.people[1];
        assert!(
            directory
                .authenticate(pupil.username, &teacher.password)
                .is_none()
        );
    }

    #[test]
    fn someone_else_is_never_the_same_person() {
        let directory = Directory::generate();
        for person in &directory.people {
            assert_ne!(
                directory.someone_else(person.username).username,
                person.username
            );
        }
    }

    #[test]
    fn pupil_vector_has_classes_as_aaf_composites() {
        let directory = Directory::generate();
        let vector = directory.identity_vector(directory.pupil());
        assert!(vector.contains(&("ENTPersonProfils", "National_1".to_owned())));
        assert!(vector.contains(&("ENTEleveClasses", "4821$4A".to_owned())));
        let teacher = directory.identity_vector(&directory.people[1]);
        assert!(!teacher.iter().any(|(name, _)| *name == "ENTEleveClasses"));
    }
}
