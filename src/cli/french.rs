//! The command line's texts in French: one entry per subcommand (by its path below the root,
//! `""` for the root, `"grids list"`) and per visible argument (by path and argument id), and
//! clap's own words. Options that many commands share through the same flattened struct
//! (`OutputArgs`, `GateArgs`…) have one entry under the path `"*"`; an entry under a command's
//! path wins over it. The tests below walk the whole command tree: a command or visible argument
//! without French, or an entry naming nothing, fails them, so no option ships English-only.

use crate::text::Lang;

/// "Usage:".
pub const USAGE: &str = "Utilisation :";
/// The heading of the subcommands (clap writes the colon; the space is French typography).
pub const COMMANDS: &str = "Commandes ";
/// The placeholder of a subcommand in the usage line.
pub const COMMAND: &str = "COMMANDE";
/// The heading of positional arguments.
pub const ARGUMENTS: &str = "Arguments ";
/// The heading of options.
pub const OPTIONS: &str = "Options ";
/// "[default: …]".
pub const DEFAULT: &str = "par défaut :";
/// "[possible values: …]".
pub const POSSIBLE_VALUES: &str = "valeurs possibles :";
/// "Possible values:" before the list of values with their help.
pub const POSSIBLE_VALUES_HEADING: &str = "Valeurs possibles :";
/// The `--lang` of a command without a language of its own (the root, `grids lint`, `man`…).
pub const CLI_LANG: &str = "Langue de l'aide, des erreurs d'utilisation et des pages de manuel";
/// clap's `-h, --help`.
pub const HELP_FLAG: &str = "Afficher l'aide (-h : le résumé, --help : le détail)";
/// clap's `-V, --version`.
pub const VERSION_FLAG: &str = "Afficher la version";
/// clap's `help` subcommand.
pub const HELP_SUBCOMMAND: &str = "Afficher cette aide, ou celle des sous-commandes nommées";

/// A man page rendered by `clap_mangen` with its section titles in `lang` (clap_mangen writes
/// them in English; SYNOPSIS, DESCRIPTION, OPTIONS and VERSION are French too).
pub fn man_page(lang: Lang, page: String) -> String {
    if lang == Lang::En {
        return page;
    }
    let mut out = String::with_capacity(page.len());
    for line in page.lines() {
        // The headings of the French help ("Options ", "Commandes ") are section titles too.
        match line
            .strip_prefix(".SH ")
            .map(|t| t.trim_matches('"').trim())
        {
            Some(title) => {
                let title = match title {
                    "NAME" => "NOM".to_owned(),
                    "EXTRA" => "COMPLÉMENTS".to_owned(),
                    "AUTHORS" => "AUTEURS".to_owned(),
                    other => other.to_uppercase(),
                };
                out.push_str(".SH ");
                out.push_str(&title);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// A command's texts.
#[derive(Debug)]
pub struct CommandText {
    /// The subcommand path below the root (`""`, `"demo"`, `"grids list"`).
    pub path: &'static str,
    /// One line.
    pub about: &'static str,
    /// The longer description, when the English has one.
    pub long_about: Option<&'static str>,
    /// The examples and notes after the options, when the English has them.
    pub after_help: Option<&'static str>,
}

/// An argument's texts.
#[derive(Debug)]
pub struct ArgText {
    /// The subcommand path, or `"*"` for any command that has no entry of its own.
    pub path: &'static str,
    /// The argument id (the field name).
    pub id: &'static str,
    /// The help of `-h`.
    pub help: &'static str,
    /// The help of `--help`, when the English has a longer one.
    pub long: Option<&'static str>,
}

const fn c(path: &'static str, about: &'static str) -> CommandText {
    CommandText {
        path,
        about,
        long_about: None,
        after_help: None,
    }
}

const fn ca(path: &'static str, about: &'static str, after: &'static str) -> CommandText {
    CommandText {
        path,
        about,
        long_about: None,
        after_help: Some(after),
    }
}

const fn a(path: &'static str, id: &'static str, help: &'static str) -> ArgText {
    ArgText {
        path,
        id,
        help,
        long: None,
    }
}

/// The French texts of the command at `path`.
pub fn command(path: &str) -> Option<&'static CommandText> {
    COMMAND_TEXTS.iter().find(|t| t.path == path)
}

/// The French texts of argument `id` of the command at `path`.
pub fn arg(path: &str, id: &str) -> Option<&'static ArgText> {
    ARG_TEXTS
        .iter()
        .find(|t| t.path == path && t.id == id)
        .or_else(|| ARG_TEXTS.iter().find(|t| t.path == "*" && t.id == id))
}

/// The French placeholder of a value (`<FICHIER>`), from the English one (`<FILE>`).
pub fn value_name(english: &str) -> Option<&'static str> {
    VALUE_NAMES
        .iter()
        .find(|(en, _)| *en == english)
        .map(|(_, fr)| *fr)
}

/// The French help of a possible value, from its English help.
pub fn value(english: &str) -> Option<&'static str> {
    VALUE_TEXTS
        .iter()
        .find(|(en, _)| *en == english)
        .map(|(_, fr)| *fr)
}

const COMMAND_TEXTS: &[CommandText] = &[
    ca(
        "",
        "Audite un espace numérique de travail (ENT) scolaire au regard du SDET",
        "Codes de sortie : 0 conforme, 1 non conforme, 2 erreur d'utilisation ou de données, 3 audit incomplet.\n\
Pour commencer : `sdet-audit demo` audite un ENT de référence intégré au programme.\n\
Langue : français par défaut ; anglais avec --lang en ou la variable SDET_LANG=en.",
    ),
    ca(
        "demo",
        "Auditer l'ENT de référence intégré (sans ENT réel), avec des défauts injectés au besoin",
        "Exemples :\n  sdet-audit demo\n  sdet-audit demo --defects cas-accept-any-ticket,no-hsts\n  \
sdet-audit demo --defects all --format json --output rapport.json\n  sdet-audit demo --defects list\n  \
sdet-audit demo --defects all --waivers fixtures/waivers/demo.yaml --evidence preuves/ --output rapport.html\n  \
sdet-audit demo --latency 50ms\n  \
sdet-audit demo --serve ent/ --latency 20ms\n  \
SDET_SIGN_PASSPHRASE=… sdet-audit demo --evidence preuves/ --sign-key ~/.ssh/id_ed25519",
    ),
    ca(
        "init",
        "Commencer l'audit d'un ENT réel : écrire un target.yaml commenté et un squelette \
declarations.ods, remplis de ce que montre le portail (CAS, SAML, OIDC, flux)",
        "Exemples :\n  sdet-audit init\n  sdet-audit init https://ent.example.fr/ --dir mon-ent/\n  \
sdet-audit init https://preprod.ent.example.fr/ --ca-file ca.pem",
    ),
    ca(
        "doctor",
        "Vérifier avant un audit ce qui le ferait échouer pour une mauvaise raison : programmes \
externes, cible, chaque variable *_env, chaque point d'accès, fichier d'AC. Code 0 quand tout est prêt",
        "Exemple :\n  sdet-audit doctor --target target.yaml",
    ),
    ca(
        "audit",
        "Auditer un ENT réel décrit par un fichier cible",
        "Exemples :\n  SDET_ELEVE_USER=… SDET_ELEVE_PASSWORD=… sdet-audit audit --target target.yaml\n  \
sdet-audit audit --target target.yaml --declarations editeur.yaml --format json --output rapport.json\n  \
sdet-audit audit --target target.yaml --evidence preuves/ --output rapport.html --fail-on any-exigence-fail,gaps-above=0\n  \
sdet-audit audit --target ent-a.yaml --target ent-b.yaml --output toutes.json --output comparaison.html",
    ),
    c("feeds", "Contrôler les fichiers des flux d'annuaire AAF"),
    ca(
        "feeds check",
        "Contrôler des fichiers ou dossiers d'export AAF",
        "Exemples :\n  sdet-audit feeds check exports/aaf/\n  \
sdet-audit feeds check exports/aaf/ -o constats.sarif -o constats.xml -o constats.json",
    ),
    c(
        "feeds reconcile",
        "Comparer un export AAF à l'annuaire LDAP de l'ENT : personnes absentes, en trop, ou avec \
un autre profil, une autre structure, d'autres classes ou liens de parenté. Code 0 : aucune \
différence ; 1 : des différences ; 2 : erreur d'utilisation ou de données ; 3 : annuaire \
injoignable ou illisible",
    ),
    c(
        "grids",
        "Parcourir, vérifier, compter et comparer les grilles du SDET",
    ),
    ca(
        "grids list",
        "Lister les critères, avec des filtres",
        "Exemples :\n  sdet-audit grids list --axis technique --level exigence\n  \
sdet-audit grids list --verification automatic --format json",
    ),
    c(
        "grids show",
        "Tout sur un critère : niveaux, sources, sondes, preuve",
    ),
    ca(
        "grids lint",
        "Vérifier les grilles et le catalogue des sondes ; chaque problème, avec un code et sa position",
        "Exemple (en CI, sur les fichiers du dépôt) :\n  sdet-audit grids lint --grids grids --probes probes",
    ),
    c(
        "grids stats",
        "Critères par axe et par niveau, et combien sont automatiques, mixtes ou déclaratifs",
    ),
    ca(
        "grids export",
        "La grille en tableur à remplir par un éditeur (ODS, XLSX ou CSV) : une feuille par axe, \
une ligne par critère, une liste déroulante pour la déclaration",
        "Exemples :\n  sdet-audit grids export -o offre.ods\n  sdet-audit grids export -o offer.xlsx --lang en\n  \
sdet-audit grids export -o offre.ods --declarations declarations.yaml   # prérempli",
    ),
    ca(
        "grids import",
        "Construire un dossier de grilles depuis un tableur (une grille officielle ou d'appel \
d'offres) dont un fichier de correspondance nomme les colonnes ; le résultat est vérifié, chaque \
problème désigné par sa cellule",
        "Exemple :\n  sdet-audit grids import grille-ao.xlsx --mapping correspondance.yaml -o grilles/\n  \
sdet-audit grids diff 6.4 ao-2026 --grids grilles/",
    ),
    ca(
        "grids diff",
        "Ce qui a changé entre les grilles de deux versions du SDET : critères ajoutés, retirés, modifiés",
        "Exemple :\n  sdet-audit grids diff 4.0 6.4",
    ),
    c(
        "declarations",
        "Déclarations de l'éditeur : lire un tableur rempli en YAML",
    ),
    ca(
        "declarations import",
        "Lire un tableur rempli (.ods, .xlsx, .csv issu de `grids export`) en un fichier YAML de \
déclarations ; chaque problème est désigné par sa feuille et sa cellule",
        "Exemples :\n  sdet-audit grids export -o offre.ods\n  \
sdet-audit declarations import offre.ods -o declarations.yaml",
    ),
    ca(
        "report",
        "Rendre un rapport JSON enregistré dans un autre format",
        "Exemples :\n  sdet-audit report --from rapport.json --format terminal --lang en\n  \
sdet-audit report --from preuves/ --format junit --output junit.xml\n  \
sdet-audit report --from preuves/ --grids grilles-corrigees/ --format html --output rescore.html",
    ),
    ca(
        "compare",
        "Mettre plusieurs rapports (offres) côte à côte sur la même grille",
        "Exemples :\n  sdet-audit compare offre-a.json offre-b.json offre-c.json\n  \
sdet-audit compare offre-*.json --format html --output comparaison.html",
    ),
    ca(
        "diff",
        "Montrer ce qui a changé entre deux exécutions (nouveaux échecs, corrections) et deux \
versions de grille ; code 1 sur un nouvel échec",
        "Exemple :\n  sdet-audit diff main.json branche.json   # code 1 seulement si branche.json échoue là où main.json réussissait",
    ),
    ca(
        "merge",
        "Réunir en un fichier les rapports de cibles différentes auditées dans des tâches de CI séparées",
        "Chaque rapport est gardé entier ; tous doivent suivre la même grille et la même formule ; \
une cible n'apparaît qu'une fois ;\n\
le code de sortie est le pire résultat (ou celui des règles --fail-on appliquées à chaque rapport).\n\
Exemples :\n  sdet-audit merge ent-*.json --output tous.json\n  sdet-audit compare tous.json --format html -o tous.html",
    ),
    CommandText {
        path: "verify",
        about: "Vérifier un dossier de preuves signé et dire qui l'a signé ; code 2 en cas de refus",
        long_about: Some(
            "Vérifier un dossier de preuves signé et dire qui l'a signé ; code 2 en cas de refus.\n\n\
Chaque fichier contre SHA256SUMS (aucun modifié, retiré ni ajouté), la signature OpenSSH qui le \
couvre, et le signataire contre votre fichier allowed-signers ou votre clé publique. Code 0 : \
intact, signé par une clé admise ; 2 : refusé, la raison en une ligne.",
        ),
        after_help: Some(
            "Exemples :\n  sdet-audit verify preuves/ --allowed-signers allowed_signers\n  \
sdet-audit verify preuves/ --pubkey certificateur.pub --lang en\n\
La même vérification avec les seuls outils standard, dans le dossier de preuves :\n  \
ssh-keygen -Y verify -f allowed_signers -I IDENTITE -n sdet-audit -s SHA256SUMS.sig < SHA256SUMS\n  \
sha256sum --check --strict --quiet SHA256SUMS\n\
et aucun fichier hors de ceux que liste SHA256SUMS (docs/evidence.md, « Signed evidence: the certifier's loop »).",
        ),
    },
    c("completions", "Afficher les complétions du shell"),
    c(
        "man",
        "Afficher la page de manuel (roff), ou écrire une page par commande dans un dossier",
    ),
];

const ARG_TEXTS: &[ArgText] = &[
    // Shared by the commands that write a report, sign, waive, gate (flattened structs).
    a(
        "*",
        "evidence",
        "Écrire le dossier de preuves dans ce dossier (créé ; il ne doit contenir aucun fichier)",
    ),
    a(
        "*",
        "sign_key",
        "Signer le dossier de preuves avec cette clé privée OpenSSH (comme le ferait \
`ssh-keygen -Y sign -n sdet-audit`). Une clé protégée lit sa phrase de passe dans \
SDET_SIGN_PASSPHRASE, jamais sur la ligne de commande ; ssh-agent n'est pas utilisé",
    ),
    a(
        "*",
        "waivers",
        "Dérogations (YAML : critère, justification, approbateur, échéance) appliquées aux verdicts",
    ),
    a(
        "*",
        "allow_exigence_waivers",
        "Accepter les dérogations sur des exigences (refusées par défaut)",
    ),
    a(
        "*",
        "format",
        "Format de sortie (par défaut : celui que nomme l'extension de --output — .json .html .md \
.csv .xml .sarif —, json pour une autre extension, terminal sur la sortie standard)",
    ),
    a(
        "*",
        "output",
        "Écrire dans ce fichier (de façon atomique) plutôt que sur la sortie standard. À répéter \
pour plusieurs formats en une exécution (`-o rapport.html -o rapport.json -o rapport.sarif`) : le \
format de chaque fichier vient alors de son extension. Les chemins sont vérifiés avant le début \
de l'audit",
    ),
    a("*", "lang", "Langue du rapport"),
    a(
        "*",
        "quiet",
        "N'afficher sur la sortie d'erreur que les erreurs (ni ligne de résumé, ni conseils)",
    ),
    a(
        "*",
        "color",
        "Couleur dans le rapport terminal : auto (sur un terminal, sauf si NO_COLOR est défini ; \
CLICOLOR_FORCE l'impose), always (toujours), never (jamais)",
    ),
    a(
        "*",
        "strict_levels",
        "Tenir pour confirmées les exigences dont le niveau reste à confirmer (`to_verify` dans la \
grille) : l'échec de l'une rend l'ENT non conforme. Sans cette option, elles sont signalées et \
comptées à part, et ne décident jamais du résultat",
    ),
    a(
        "*",
        "fail_on",
        "Code 1 quand l'une de ces règles est enfreinte (séparées par des virgules) : \
any-exigence-fail, pratique-below=N, gaps-above=N, expired-waivers, coverage-below=N. Sans cette \
option, le résultat décide",
    ),
    a(
        "*",
        "verbose",
        "Afficher sur la sortie d'erreur le résultat de chaque sonde dès qu'elle finit, terminal \
ou non : un journal de CI montre alors ce que l'audit a fait, et où il en était quand il a été \
arrêté",
    ),
    a(
        "*",
        "sdet_version",
        "Version du SDET (par défaut : la grille la plus récente)",
    ),
    a(
        "*",
        "grids",
        "Utiliser les grilles de ce dossier au lieu des grilles intégrées",
    ),
    a("*", "timeout", "Secondes avant l'abandon d'une requête"),
    a(
        "*",
        "allowed_signers",
        "Un fichier allowed-signers d'OpenSSH (celui que lit `ssh-keygen -Y verify -f`) : le \
signataire du dossier doit y figurer, pour l'espace de noms sdet-audit",
    ),
    a(
        "*",
        "pubkey",
        "La clé publique OpenSSH du signataire (`id_ed25519.pub`) : le dossier doit être signé par elle",
    ),
    a(
        "*",
        "reports",
        "Rapports : fichiers JSON, dossiers de preuves ou fichiers réunis",
    ),
    // demo
    a(
        "demo",
        "defects",
        "Défauts à injecter : noms séparés par des virgules, `all` (tous), ou `list` pour les lister",
    ),
    a(
        "demo",
        "declarations",
        "Les déclarations de l'éditeur au lieu de celles fournies : YAML, ou un tableur rempli \
(.ods, .xlsx, .csv) issu de `grids export`",
    ),
    a(
        "demo",
        "latency",
        "Le délai de l'ENT de référence avant chaque réponse (requête HTTP, opération LDAP), comme \
l'aller-retour d'un vrai réseau : `50ms`, `0.05s`, ou des millisecondes",
    ),
    a(
        "demo",
        "serve",
        "Ne pas auditer : servir l'ENT de référence jusqu'à Ctrl-C ou SIGTERM, et écrire dans DOSSIER \
son `target.yaml` (avec AC, déclarations, export GAR) et son `secrets.env` pour `audit --target`",
    ),
    // init
    a(
        "init",
        "portal",
        "La page d'accueil du portail : ce qu'on peut y trouver est rempli (quelques GET)",
    ),
    a(
        "init",
        "dir",
        "Écrire target.yaml et declarations.ods dans ce dossier",
    ),
    a("init", "name", "Le nom de l'ENT"),
    a(
        "init",
        "portal_http",
        "Où répond le HTTP en clair, quand ce n'est pas sur le port 80 de l'hôte du portail \
(préproduction)",
    ),
    a(
        "init",
        "ca_file",
        "Une AC de plus à laquelle se fier (ENT de préproduction) ; écrite dans la cible",
    ),
    a(
        "init",
        "sdet_version",
        "Version du SDET du squelette de déclarations (par défaut : la grille la plus récente)",
    ),
    a("init", "force", "Remplacer les fichiers existants"),
    a("init", "lang", "Langue des commentaires et du tableur"),
    // doctor
    a("doctor", "target", "Le fichier cible à vérifier"),
    a("doctor", "lang", "Langue"),
    // audit
    a(
        "audit",
        "target",
        "Le fichier cible (target.yaml). À répéter pour auditer plusieurs ENT à la fois, sous les \
mêmes limites --concurrency et --per-host : le résultat est le fichier réuni qu'écrit `merge` \
(JSON), ou leur comparaison (terminal, html, csv)",
    ),
    a(
        "audit",
        "declarations",
        "Les déclarations de l'éditeur (remplacent les `declarations` de la cible) : YAML, ou un \
tableur rempli (.ods, .xlsx, .csv) issu de `grids export`",
    ),
    a(
        "audit",
        "probes",
        "Utiliser le catalogue de sondes de ce dossier au lieu du catalogue intégré",
    ),
    a(
        "audit",
        "concurrency",
        "Requêtes en cours au total [par défaut : 8, ou --streams × le nombre de cibles quand \
         c'est plus, jusqu'à 64]",
    ),
    a(
        "audit",
        "per_host",
        "Requêtes en cours par hôte en HTTP/1.1, chacune sur sa propre connexion",
    ),
    a(
        "audit",
        "streams",
        "Requêtes en cours vers un hôte qui répond en HTTP/2, toutes sur une seule connexion \
         (jamais moins que --per-host)",
    ),
    a(
        "audit",
        "timeout",
        "Secondes avant l'abandon d'une requête (un échange HTTP, une opération LDAP) ; une \
requête abandonnée n'est pas réessayée",
    ),
    a(
        "audit",
        "probe_deadline",
        "Secondes que peut prendre une sonde, toutes ses requêtes comprises ; au-delà, la sonde \
est en erreur",
    ),
    a(
        "audit",
        "deadline",
        "Secondes que peut prendre l'audit entier ; les sondes encore en cours sont alors en \
erreur, et le rapport est écrit",
    ),
    // feeds
    a("feeds check", "paths", "Fichiers ou dossiers d'export"),
    a(
        "feeds reconcile",
        "export",
        "L'export AAF (un dossier, ou des fichiers) que l'annuaire doit refléter",
    ),
    a(
        "feeds reconcile",
        "target",
        "Lire le dossier d'export et l'accès LDAP dans le bloc `annuaire` de ce fichier cible",
    ),
    a(
        "feeds reconcile",
        "ldap_url",
        "L'annuaire : `ldap://hôte:port` ou `ldaps://hôte:port`",
    ),
    a("feeds reconcile", "base_dn", "Base de recherche"),
    a(
        "feeds reconcile",
        "bind_dn",
        "DN de connexion (anonyme sans lui)",
    ),
    a(
        "feeds reconcile",
        "password_env",
        "La variable d'environnement qui contient le mot de passe de connexion (jamais le mot de \
passe lui-même)",
    ),
    a(
        "feeds reconcile",
        "ca_file",
        "AC de plus à laquelle se fier pour ldaps:// (PEM)",
    ),
    a("feeds reconcile", "limit", "Différences listées par sorte"),
    a(
        "feeds reconcile",
        "timeout",
        "Secondes permises pour se connecter et pour chaque opération LDAP",
    ),
    a(
        "feeds reconcile",
        "format",
        "Format de sortie (par défaut : terminal sur un terminal, json sinon)",
    ),
    a("feeds reconcile", "lang", "Langue de la sortie terminal"),
    // grids
    a("grids list", "axis", "Seulement cet axe"),
    a("grids list", "level", "Seulement ce niveau"),
    a(
        "grids list",
        "verification",
        "Seulement ce mode de vérification",
    ),
    a(
        "grids list",
        "degree",
        "Seulement les critères qui s'appliquent à ce degré",
    ),
    a("grids list", "format", "Format de sortie"),
    a("grids list", "lang", "Langue"),
    a(
        "grids show",
        "id",
        "Identifiant du critère, par exemple SSO-CAS-03",
    ),
    a("grids show", "lang", "Langue"),
    a(
        "grids lint",
        "grids",
        "Dossier des grilles (par défaut : les grilles intégrées)",
    ),
    a(
        "grids lint",
        "probes",
        "Dossier des sondes (par défaut : le catalogue intégré)",
    ),
    a("grids stats", "lang", "Langue"),
    a(
        "grids export",
        "output",
        "Écrire dans ce fichier (.ods, .xlsx ou .csv ; l'extension choisit le format)",
    ),
    a(
        "grids export",
        "format",
        "Format, quand l'extension ne le dit pas",
    ),
    a(
        "grids export",
        "declarations",
        "Préremplir les colonnes de l'éditeur avec ces déclarations (YAML ou un tableur)",
    ),
    a("grids export", "lang", "Langue des en-têtes et des textes"),
    a(
        "grids import",
        "file",
        "Le tableur qui contient la grille (.ods, .xlsx, .csv)",
    ),
    a(
        "grids import",
        "mapping",
        "Le fichier de correspondance (YAML) qui nomme ses colonnes, axes et niveaux",
    ),
    a(
        "grids import",
        "output",
        "Le dossier de grilles où écrire ; la grille va dans DOSSIER/<sdet_version>/",
    ),
    a("grids diff", "old", "Version du SDET la plus ancienne"),
    a("grids diff", "new", "Version du SDET la plus récente"),
    a("grids diff", "format", "Format de sortie"),
    a(
        "grids diff",
        "grids",
        "Lire NOUVEAU dans ce dossier de grilles (par exemple un dossier écrit par `grids import`) \
; ANCIEN reste la grille intégrée",
    ),
    // declarations
    a("declarations import", "file", "Le tableur rempli"),
    a(
        "declarations import",
        "output",
        "Écrire le YAML ici (de façon atomique) plutôt que sur la sortie standard",
    ),
    a(
        "declarations import",
        "sdet_version",
        "Version du SDET (par défaut : celle que nomme le tableur, sinon la grille la plus récente)",
    ),
    a("declarations import", "lang", "Langue des messages"),
    // report
    a(
        "report",
        "from",
        "Un rapport JSON écrit par `audit` ou `demo --format json`, ou un dossier de preuves \
(ses empreintes sont vérifiées d'abord, et sa signature s'il est signé)",
    ),
    a(
        "report",
        "grids",
        "Recalculer hors ligne avec les grilles de ce dossier (une grille corrigée, par exemple)",
    ),
    a(
        "report",
        "sdet_version",
        "Recalculer hors ligne avec cette version de grille du SDET (intégrée ou issue de --grids)",
    ),
    a(
        "report",
        "probes",
        "Le catalogue de sondes du recalcul (par défaut : le catalogue intégré)",
    ),
    // compare, diff
    a(
        "compare",
        "label",
        "Nommer une colonne : `N=NOM` pour le Nième rapport (à partir de 1, dans l'ordre affiché), \
pour distinguer deux exécutions du même ENT (`--label 1=avant --label 2=après`). Par défaut : le \
nom de l'ENT",
    ),
    a(
        "diff",
        "old",
        "Le rapport le plus ancien (fichier JSON ou dossier de preuves)",
    ),
    a(
        "diff",
        "new",
        "Le rapport le plus récent (fichier JSON ou dossier de preuves)",
    ),
    // verify, completions, man
    a("verify", "dir", "Le dossier de preuves"),
    a("verify", "lang", "Langue de la ligne de verdict"),
    a("completions", "shell", "Le shell"),
    a(
        "man",
        "dir",
        "Écrire ici `sdet-audit.1` et une page par sous-commande (`sdet-audit-demo.1`, …)",
    ),
];

/// Value placeholders: (English, French), those that read the same in French included.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("FILE", "FICHIER"),
    ("DIR", "DOSSIER"),
    ("KEY", "CLÉ"),
    ("SECS", "SECONDES"),
    ("TIMEOUT", "SECONDES"),
    ("RULE", "RÈGLE"),
    ("DURATION", "DURÉE"),
    ("N=LABEL", "N=NOM"),
    ("VERSION", "VERSION"),
    ("URL", "URL"),
    ("PEM", "PEM"),
    ("DN", "DN"),
    ("VAR", "VARIABLE"),
    ("YAML", "YAML"),
    ("DEFECTS", "DÉFAUTS"),
    ("FORMAT", "FORMAT"),
    ("OUTPUT", "SORTIE"),
    ("LANG", "LANGUE"),
    ("COLOR", "COULEUR"),
    ("TARGET", "CIBLE"),
    ("GRIDS", "DOSSIER"),
    ("PROBES", "DOSSIER"),
    ("CONCURRENCY", "N"),
    ("PER_HOST", "N"),
    ("STREAMS", "N"),
    ("SDET_VERSION", "VERSION"),
    ("PORTAL", "PORTAIL"),
    ("NAME", "NOM"),
    ("AXIS", "AXE"),
    ("LEVEL", "NIVEAU"),
    ("VERIFICATION", "VÉRIFICATION"),
    ("DEGREE", "DEGRÉ"),
    ("ID", "ID"),
    ("FROM", "RAPPORT"),
    ("REPORTS", "RAPPORTS"),
    ("OLD", "ANCIEN"),
    ("NEW", "NOUVEAU"),
    ("PATHS", "CHEMINS"),
    ("EXPORT", "EXPORT"),
    ("LIMIT", "N"),
    ("SHELL", "SHELL"),
];

/// Possible values' help: (English, French).
const VALUE_TEXTS: &[(&str, &str)] = &[
    ("Human-readable summary", "Résumé lisible"),
    ("The JSON contract", "Le contrat JSON"),
    (
        "One self-contained HTML file",
        "Un seul fichier HTML autonome",
    ),
    ("Markdown", "Markdown"),
    ("CSV, one row per criterion", "CSV, une ligne par critère"),
    ("`JUnit` XML", "XML `JUnit`"),
    ("SARIF 2.1.0", "SARIF 2.1.0"),
    ("Français", "Français"),
    ("English", "Anglais"),
    (
        "On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it",
        "Sur un terminal, sauf si NO_COLOR est défini ; CLICOLOR_FORCE l'impose",
    ),
    (
        "Always (a CI log that shows ANSI colours)",
        "Toujours (un journal de CI qui affiche les couleurs ANSI)",
    ),
    ("Never", "Jamais"),
    ("Exigences", "Exigences"),
    ("Recommandations", "Recommandations"),
    ("Automatic", "Automatique"),
    ("Mixed", "Mixte"),
    ("Declarative", "Déclaratif"),
    ("Premier degré", "Premier degré"),
    ("Second degré", "Second degré"),
    (
        "OpenDocument (LibreOffice, the RGI's format)",
        "OpenDocument (LibreOffice, le format du RGI)",
    ),
    ("Excel", "Excel"),
    (
        "CSV, one table with every axis",
        "CSV, un seul tableau avec tous les axes",
    ),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::{Command, CommandFactory as _};

    use super::*;
    use crate::cli::Cli;

    /// Every command of the tree with its path, clap's `help` left out.
    fn commands() -> Vec<(String, Command)> {
        fn walk(cmd: &Command, path: &str, out: &mut Vec<(String, Command)>) {
            out.push((path.to_owned(), cmd.clone()));
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let sub_path = if path.is_empty() {
                    sub.get_name().to_owned()
                } else {
                    format!("{path} {}", sub.get_name())
                };
                walk(sub, &sub_path, out);
            }
        }
        let mut out = Vec::new();
        walk(&Cli::command(), "", &mut out);
        out
    }

    /// The visible arguments the derive declares (clap's `--help` and `--version` come later).
    fn visible(cmd: &Command) -> impl Iterator<Item = &clap::Arg> {
        cmd.get_arguments().filter(|a| !a.is_hide_set())
    }

    #[test]
    fn every_command_and_visible_argument_has_its_french() {
        let mut missing = Vec::new();
        for (path, cmd) in commands() {
            match command(&path) {
                None => missing.push(format!(
                    "c({path:?}, {:?}) after: {:?} long: {:?}",
                    cmd.get_about().map(ToString::to_string),
                    cmd.get_after_help().map(ToString::to_string),
                    cmd.get_long_about().map(ToString::to_string)
                )),
                Some(text) => {
                    if cmd.get_after_help().is_some() != text.after_help.is_some()
                        || cmd.get_long_about().is_some() != text.long_about.is_some()
                    {
                        missing.push(format!("{path:?}: after_help or long_about differ"));
                    }
                }
            }
            for arg in visible(&cmd) {
                let id = arg.get_id().as_str();
                match super::arg(&path, id) {
                    None => missing.push(format!(
                        "a({path:?}, {id:?}, {:?}) long: {:?}",
                        arg.get_help().map(ToString::to_string),
                        arg.get_long_help().map(ToString::to_string)
                    )),
                    Some(text) if arg.get_long_help().is_some() != text.long.is_some() => {
                        missing.push(format!("{path:?} {id}: long help differs"));
                    }
                    Some(_) => {}
                }
                if arg.get_action().takes_values() {
                    let names: Vec<String> = arg.get_value_names().map_or_else(
                        || vec![id.to_uppercase()],
                        |n| n.iter().map(ToString::to_string).collect(),
                    );
                    for name in names.iter().filter(|n| value_name(n).is_none()) {
                        missing.push(format!("value name {name:?} ({path:?} {id})"));
                    }
                }
                for pv in arg.get_possible_values() {
                    if let Some(help) = pv.get_help()
                        && value(&help.to_string()).is_none()
                    {
                        missing.push(format!("value {:?}", help.to_string()));
                    }
                }
            }
        }
        missing.dedup();
        assert!(missing.is_empty(), "no French for:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_entry_names_something_that_exists() {
        let commands = commands();
        let mut stale = Vec::new();
        for text in COMMAND_TEXTS {
            if !commands.iter().any(|(path, _)| path == text.path) {
                stale.push(format!("command {:?}", text.path));
            }
        }
        for text in ARG_TEXTS {
            // A shared entry must be used by a command that has no entry of its own.
            let used = commands.iter().any(|(path, cmd)| {
                visible(cmd).any(|a| a.get_id() == text.id)
                    && (text.path == path.as_str()
                        || (text.path == "*"
                            && !ARG_TEXTS.iter().any(|t| t.path == path && t.id == text.id)))
            });
            if !used {
                stale.push(format!("argument {:?} {:?}", text.path, text.id));
            }
        }
        let values: BTreeSet<String> = commands
            .iter()
            .flat_map(|(_, cmd)| {
                visible(cmd)
                    .flat_map(clap::Arg::get_possible_values)
                    .collect::<Vec<_>>()
            })
            .filter_map(|v| v.get_help().map(ToString::to_string))
            .collect();
        for (en, _) in VALUE_TEXTS {
            if !values.contains(*en) {
                stale.push(format!("value {en:?}"));
            }
        }
        assert!(
            stale.is_empty(),
            "entries naming nothing:\n{}",
            stale.join("\n")
        );
    }

    #[test]
    fn no_two_entries_for_the_same_thing() {
        let mut seen = BTreeSet::new();
        for text in ARG_TEXTS {
            assert!(
                seen.insert((text.path, text.id)),
                "{} {} twice",
                text.path,
                text.id
            );
        }
        let mut seen = BTreeSet::new();
        for text in COMMAND_TEXTS {
            assert!(seen.insert(text.path), "{:?} twice", text.path);
        }
    }

    /// 64-bit FNV-1a: stable across Rust versions and machines, unlike `DefaultHasher`, so
    /// the sums file means the same everywhere.
    fn fnv1a(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Each French entry of a command or an argument, by its key, with the sum of the English it
    /// translates (every English it translates, for a shared `"*"` entry).
    fn english_sums() -> std::collections::BTreeMap<String, BTreeSet<u64>> {
        let shown = |t: Option<&clap::builder::StyledStr>| t.map(ToString::to_string);
        let mut sums: std::collections::BTreeMap<String, BTreeSet<u64>> = Default::default();
        for (path, cmd) in commands() {
            let english = format!(
                "{:?}|{:?}|{:?}",
                shown(cmd.get_about()),
                shown(cmd.get_long_about()),
                shown(cmd.get_after_help())
            );
            sums.entry(format!("command {path:?}"))
                .or_default()
                .insert(fnv1a(&english));
            for arg in visible(&cmd) {
                let id = arg.get_id().as_str();
                let Some(text) = super::arg(&path, id) else {
                    continue;
                };
                let english = format!(
                    "{:?}|{:?}",
                    shown(arg.get_help()),
                    shown(arg.get_long_help())
                );
                sums.entry(format!("argument {:?} {id}", text.path))
                    .or_default()
                    .insert(fnv1a(&english));
            }
        }
        sums
    }

    /// The French of a command or an option is found by its name, not by its English: so a
    /// rewritten English help would keep its old French without any other test noticing. The
    /// English each entry was written from is summed in `french.sums`; when an English text
    /// changes, this fails and names the entry. Check its French, then rewrite the file with
    /// `SDET_BLESS_FRENCH=1 cargo test -p sdet-audit --lib french`.
    #[test]
    fn no_english_help_changed_since_its_french_was_written() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/french.sums");
        let now: String = english_sums()
            .into_iter()
            .map(|(key, sums)| {
                let sums: Vec<String> = sums.iter().map(|s| format!("{s:016x}")).collect();
                format!("{} {key}\n", sums.join(","))
            })
            .collect();
        if std::env::var_os("SDET_BLESS_FRENCH").is_some() {
            std::fs::write(&path, &now).expect("write french.sums");
            return;
        }
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        let before: BTreeSet<&str> = written.lines().collect();
        let changed: Vec<&str> = now
            .lines()
            .filter(|line| !before.contains(line))
            .map(|line| line.split_once(' ').map_or(line, |(_, key)| key))
            .collect();
        assert!(
            changed.is_empty() && before.len() == now.lines().count(),
            "the English of these entries changed since their French was written (or they \
             are new, or gone): check the French in src/cli/french.rs, then run \
             SDET_BLESS_FRENCH=1 cargo test -p sdet-audit --lib french\n{}",
            changed.join("\n")
        );
    }
}
