//! `simulate` and `deploy`, through their parsing and `cli::run`, and the headless run itself.

use crate::common;

use common::gallery::{r, version, workspace};
use sig_studio::model::{RegionState, ResourcePath, region};
use sig_studio::replication;
use sig_studio::workspace::from_ron_str;

/// The subcommands, through their argument parsing and `cli::run` (the binary's `main` only
/// adds the exit); output texts come from the same render functions the subcommands print.
mod cli {
    use super::*;
    use clap::Parser;
    use sig_studio::cli::{self, Cli, simulate};

    fn run(args: &[&str]) -> u8 {
        let cli =
            Cli::try_parse_from(std::iter::once("sig-studio").chain(args.iter().copied())).unwrap();
        cli::run(cli.command.unwrap())
    }

    fn temp(name: &str) -> String {
        let dir =
            std::env::temp_dir().join(format!("sig-studio-replication-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name).to_string_lossy().into_owned()
    }

    #[test]
    fn simulate_runs_until_settled_and_writes_the_result() {
        let (file, out) = (temp("simulate.ron"), temp("simulated.ron"));
        sig_studio::workspace::save(file.as_ref(), &workspace(30.0, &[r("eastus")])).unwrap();
        assert_eq!(
            run(&["simulate", "--until-settled", "--write", &out, &file]),
            0
        );
        let written = sig_studio::workspace::load(out.as_ref()).unwrap();
        assert!(!replication::has_work(&written));
        let east = &version(&written, "1.0.0")
            .target(r("eastus"))
            .unwrap()
            .status;
        assert_eq!(east.state, RegionState::Completed);
        assert!(
            (18.0 * 60.0..23.0 * 60.0).contains(&east.elapsed_secs),
            "{east:?}"
        );
        assert!(written.simulation.clock_secs >= east.elapsed_secs);
    }

    #[test]
    fn simulate_exits_3_when_an_outage_fails_a_region() {
        let file = temp("outage.ron");
        sig_studio::workspace::save(file.as_ref(), &workspace(30.0, &[r("eastus")])).unwrap();
        assert_eq!(run(&["simulate", "--outage", "East US", &file]), 3);
        assert!(
            Cli::try_parse_from(["sig-studio", "simulate", "--outage", "Atlantis", &file]).is_err()
        );
        assert!(Cli::try_parse_from(["sig-studio", "simulate", "--for", "soon", &file]).is_err());
    }

    #[test]
    fn simulate_prints_state_and_duration_per_region() {
        let east = r("eastus");
        let mut ws = workspace(30.0, &[east]);
        let options = simulate::Options {
            for_secs: Some(600.0),
            ..Default::default()
        };
        let outcome = simulate::simulate(&mut ws, &options);
        assert_eq!((outcome.running, outcome.exit_code()), (1, 1));
        assert_eq!(outcome.secs, 600.0);
        let outcome = simulate::simulate(&mut ws, &simulate::Options::default());
        assert_eq!(outcome.exit_code(), 0);
        let text = simulate::render(&ws, &[("gallery/image/1.0.0".into(), east)], &outcome);
        assert!(text.contains("gallery/image/1.0.0: Completed"), "{text}");
        assert!(
            text.lines().any(|l| l.contains("East US")
                && l.contains("Completed")
                && l.contains("took 21 min")),
            "{text}"
        );
        assert_eq!(simulate::parse_duration("90m"), Ok(5400.0));
        assert_eq!(simulate::parse_duration("2h"), Ok(7200.0));
    }

    #[test]
    fn deploy_answers_allowed_refused_and_unreadable() {
        let file = temp("deploy.ron");
        std::fs::write(&file, sig_studio::sample::SAMPLE_RON).unwrap();
        let version = "contoso_images/win2022-datacenter/2026.9.0";
        assert_eq!(
            run(&[
                "deploy", &file, version, "--region", "eastus", "--vms", "90"
            ]),
            0
        );
        let definition = "contoso_images/ubuntu-2204-base";
        let refused = [
            "deploy",
            &file,
            definition,
            "--region",
            "West Europe",
            "--scale-sets",
            "2",
        ];
        assert_eq!(run(&refused), 1);
        let missing = [
            "deploy",
            &file,
            "contoso_images/nope",
            "--region",
            "eastus",
            "--vms",
            "1",
        ];
        assert_eq!(run(&missing), 2);
        assert_eq!(
            run(&[
                "deploy", &file, definition, "--region", "mars", "--vms", "1"
            ]),
            2
        );
        assert_eq!(
            run(&[
                "deploy",
                "/nonexistent.ron",
                definition,
                "--region",
                "eastus",
                "--vms",
                "1"
            ]),
            2
        );
        assert!(
            Cli::try_parse_from([
                "sig-studio",
                "deploy",
                &file,
                definition,
                "--region",
                "eastus"
            ])
            .is_err()
        );
        // The printed answer.
        let ws = sig_studio::sample::sample();
        let plan = sig_studio::replication::deploy::check(
            &ws,
            common::today(),
            &ResourcePath::parse(version).unwrap(),
            r("eastus"),
            sig_studio::replication::deploy::DeployKind::Vms,
            90,
        )
        .unwrap();
        let text = cli::deploy::render(&plan);
        assert!(text.starts_with("allowed: 90 VMs from contoso_images/win2022-datacenter/2026.9.0 in East US (3 replicas, 30.0 VMs per replica)"), "{text}");
        assert!(text.contains("warning: 90 VMs"), "{text}");
    }
}

#[test]
fn the_unfinished_example_does_not_replicate_its_invalid_version() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/examples/unfinished.ron"
    ))
    .unwrap();
    let mut ws = from_ron_str(&text).unwrap();
    let options = sig_studio::cli::simulate::Options::default();
    let outcome = sig_studio::cli::simulate::simulate(&mut ws, &options);
    let invalid = "contoso_images/ubuntu-2204-base/1.0.13";
    let waiting: Vec<_> = outcome
        .not_created
        .iter()
        .filter(|(p, _, _)| p == invalid)
        .collect();
    assert_eq!(waiting.len(), 2, "{outcome:?}");
    assert_eq!(outcome.exit_code(), 1, "waiting regions are not a success");
    let text = sig_studio::cli::simulate::render(&ws, &[], &outcome);
    assert!(
        text.lines()
            .any(|l| l.contains("East US") && l.contains("Not created: fix the errors")),
        "{text}"
    );
    assert!(text.contains("2 not created (fix the errors)"), "{text}");
}

#[test]
fn until_settled_runs_however_long_it_takes_unless_a_limit_stops_it() {
    use sig_studio::cli::simulate::{Options, render, simulate};
    // 40 versions × 13 regions from one source: days of simulated time.
    let targets = region::regions_of(&region::PREVIEW_TARGET_REGIONS);
    let mut ws = workspace(30.0, &targets);
    let template = version(&ws, "1.0.0").clone();
    for i in 1..40 {
        let mut v = template.clone();
        v.name = format!("1.0.{i}");
        ws.galleries[0].definitions[0].versions.push(v);
    }
    let mut limited = ws.clone();
    let outcome = simulate(&mut ws, &Options::default());
    assert!(outcome.settled && outcome.running == 0, "{outcome:?}");
    assert!(outcome.secs > 86_400.0, "{} s", outcome.secs);
    assert_eq!(outcome.exit_code(), 0);
    let options = Options {
        max_secs: Some(86_400.0),
        ..Options::default()
    };
    let outcome = simulate(&mut limited, &options);
    assert_eq!(outcome.secs, 86_400.0);
    assert_eq!(outcome.stopped_by_limit, Some(86_400.0));
    assert_eq!(outcome.exit_code(), 1);
    let text = render(&limited, &[], &outcome);
    assert!(
        text.contains("stopped by --max-time 1 d 00 h: 520 regions still running"),
        "{text}"
    );
    assert_eq!(
        sig_studio::cli::simulate::parse_duration("30d"),
        Ok(30.0 * 86_400.0)
    );
}
