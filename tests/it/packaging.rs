//! What the project ships for CI — the GitHub Action, the GitLab CI template, the Dockerfile —
//! kept in step with the binary: every `sdet-audit` command they run parses with today's CLI,
//! and the image installs the tools the binary runs and runs it as an unprivileged user. (The
//! image itself is built by `.ci/run` where a container engine can; `packaging/smoke.sh` runs
//! its runtime recipe otherwise.)

use clap::Parser as _;
use sdet_audit::cli::Cli;

use crate::support::root;

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every shell line of a CI file that runs `sdet-audit`, from its YAML strings.
fn commands(yaml: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_saphyr::from_str(yaml).expect("valid YAML");
    let mut strings = Vec::new();
    let mut stack = vec![&doc];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => strings.push(s.clone()),
            serde_json::Value::Array(a) => stack.extend(a),
            serde_json::Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    strings
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .filter(|l| l.starts_with("sdet-audit "))
        .map(ToString::to_string)
        .collect()
}

/// The arguments of a command line, its shell variables given sample values.
fn arguments(line: &str) -> Vec<String> {
    let line = line.split(" || ").next().unwrap_or(line);
    line.split_whitespace()
        .flat_map(|word| {
            let word = word.trim_matches('"');
            match word {
                "${args[@]}" => vec!["--target".to_string(), "target.yaml".to_string()],
                w if w.starts_with('$') && w.contains("LANG") => vec!["fr".to_string()],
                w if w.starts_with('$') && w.contains("FAIL_ON") => {
                    vec!["any-exigence-fail,gaps-above=0".to_string()]
                }
                w if w.starts_with('$') => vec!["target.yaml".to_string()],
                w => vec![w.to_string()],
            }
        })
        .collect()
}

#[test]
fn the_action_and_the_gitlab_template_run_commands_the_cli_accepts() {
    for file in ["action.yml", "ci/gitlab/sdet-audit.gitlab-ci.yml"] {
        let lines = commands(&read(file));
        assert!(lines.len() >= 3, "{file}: {lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("--format sarif")),
            "{file}: SARIF"
        );
        assert!(
            lines.iter().any(|l| l.contains("--format junit")),
            "{file}: JUnit"
        );
        for line in &lines {
            let args = arguments(line);
            if let Err(e) = Cli::try_parse_from(&args) {
                panic!("{file}: `{line}` does not parse: {e}");
            }
            // The same line through the command the binary builds, in French (the default)
            // and in English (the templates' SDET_LANG can say either).
            for lang in ["fr", "en"] {
                let os_args = args.iter().map(std::ffi::OsString::from).collect();
                if let Err(e) = sdet_audit::cli::parse(os_args, Some(std::ffi::OsStr::new(lang))) {
                    panic!("{file}: `{line}` does not parse with SDET_LANG={lang}: {e:?}");
                }
            }
        }
    }
}

#[test]
fn the_image_installs_what_the_binary_runs_and_runs_it_unprivileged() {
    let dockerfile = read("Dockerfile");
    let runtime = dockerfile.split("\nFROM ").last().expect("a runtime stage");
    // xmllint (GAR schemas) and xmlsec1 (XML signatures) are what the audit runs; Debian packages.
    for package in ["libxml2-utils", "xmlsec1", "ca-certificates"] {
        assert!(
            runtime.contains(package),
            "the runtime stage lacks {package}"
        );
    }
    assert!(
        runtime.contains("\nUSER sdet\n"),
        "not run as an unprivileged user"
    );
    assert!(runtime.contains("ENTRYPOINT [\"sdet-audit\"]"));
    assert!(dockerfile.contains("cargo build --release --locked"));
}
