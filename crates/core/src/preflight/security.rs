//! The build's Hyper-V generation, security type and source kind against the definition's.
//!
//! The service's words, and where they were seen:
//! - generation: "The resource with id '…' has a different Hypervisor generation ['V1'] than the
//!   parent gallery image Hypervisor generation ['V2']" (Microsoft docs, Troubleshoot shared
//!   images).
//! - a VM source into a `TrustedLaunchSupported` definition: "The security type
//!   'TrustedLaunchSupported' is not supported for the source id '…/virtualMachines/pkrvm…'.
//!   Currently only Vhd Blob, User Image and Gallery Image Version sources are supported for
//!   'TrustedLaunchSupported' images." (packer-plugin-azure issue 304, 2023; the same text in
//!   microsoft/STL issue 4682, 2024). `TrustedLaunchSupported` is "a generic Gen2 image that
//!   does not contain the VMGS blob" (azure-cli issue 26632), so a Trusted Launch VM, whose guest
//!   state is part of it, goes only into a `TrustedLaunch` definition.
//! - a managed image source into a `ConfidentialVM` definition: "Confidential VM is not
//!   supported for the source id '…/images/…'. Currently Snapshot, Disk and VM sources are
//!   supported for the Confidential VM security type." (packer-plugin-azure issue 372).
//! - a Trusted Launch build VM captured as a managed image: "Creation of managed images are not
//!   supported for virtual machine with TrustedLaunch security type." (hashicorp/packer issue
//!   13189).
//! - Trusted Launch on a generation 1 image: "Use of TrustedLaunch setting is not supported for
//!   the provided image. Please select Trusted Launch Supported Gen2 OS Image." (azure-cli issue
//!   27975).

use super::{Check, Finding, Input};
use crate::export::handoff::{self, BuildSource, SourceKind, Target, Tool};
use crate::model::{HyperVGeneration, SecurityType};

const SOURCE_304: &str = "packer-plugin-azure issue 304 (the service's answer)";
const SOURCE_372: &str = "packer-plugin-azure issue 372 (the service's answer)";
const SOURCE_13189: &str = "hashicorp/packer issue 13189 (the service's answer)";
const SOURCE_27975: &str = "azure-cli issue 27975 (the service's answer)";

/// What the build publishes: the caller's knowledge, filled from the tool's hand-off.
pub fn build_source(t: &Target<'_>, input: &Input) -> BuildSource {
    let defaults = match input.tool {
        Some(Tool::Packer) => BuildSource::packer(t),
        Some(Tool::ImageBuilder) | None => BuildSource::default(),
    };
    input.build.or(defaults)
}

/// The findings, and the checks that could not run for want of a fact.
pub fn findings(t: &Target<'_>, input: &Input) -> (Vec<Finding>, Vec<String>) {
    let build = build_source(t, input);
    let mut findings = Vec::new();
    let mut unchecked = Vec::new();
    let wanted = t.definition.generation;
    match build.generation {
        Some(generation) if generation != wanted => findings.push(
            Finding::error(
                Check::Generation,
                format!(
                    "The build's base image is Hyper-V generation {generation:?} but the definition is {wanted:?}"
                ),
            )
            .quoting(
                format!(
                    "The resource with id '<the build's source>' has a different Hypervisor generation ['{generation:?}'] than the parent gallery image Hypervisor generation ['{wanted:?}']"
                ),
                super::SOURCE_TROUBLESHOOTING,
            ),
        ),
        Some(_) => {}
        None => unchecked.push(format!(
            "The base image's Hyper-V generation is not known (give it, e.g. --source-generation): it must be {wanted:?}, the definition's, or the publish fails at the end with \"… has a different Hypervisor generation …\"."
        )),
    }
    if let (
        Some(SecurityType::TrustedLaunch | SecurityType::ConfidentialVM),
        Some(HyperVGeneration::V1),
    ) = (build.security, build.generation)
    {
        findings.push(
            Finding::error(
                Check::SecurityType,
                "A Trusted Launch or confidential build VM needs a generation 2 base image",
            )
            .quoting(
                "Use of TrustedLaunch setting is not supported for the provided image. Please select Trusted Launch Supported Gen2 OS Image.",
                SOURCE_27975,
            ),
        );
    }
    findings.extend(security_type(t, build, &mut unchecked));
    findings.extend(source_kind(t, build, &mut unchecked));
    (findings, unchecked)
}

/// The build VM's security type against the definition's.
fn security_type(t: &Target<'_>, build: BuildSource, unchecked: &mut Vec<String>) -> Vec<Finding> {
    let wanted = t.security();
    let Some(security) = build.security else {
        if wanted != SecurityType::Standard {
            unchecked.push(format!(
                "The build VM's security type is not known (give it, e.g. --source-security-type): the definition's is {}.",
                wanted.name()
            ));
        }
        return Vec::new();
    };
    let refused = match security {
        // A Trusted Launch VM carries its guest state (VMGS): only a TrustedLaunch definition
        // holds it. Into a "…Supported" one the service refuses the VM source (below).
        SecurityType::TrustedLaunch => {
            wanted != SecurityType::TrustedLaunch
                && !handoff::captures_through_managed_image(wanted)
        }
        SecurityType::ConfidentialVM => wanted != SecurityType::ConfidentialVM,
        _ => wanted == SecurityType::ConfidentialVM,
    };
    if !refused {
        return Vec::new();
    }
    vec![Finding::error(
        Check::SecurityType,
        format!(
            "The build VM's security type is {} but the definition's is {}: {}",
            security.name(),
            wanted.name(),
            match wanted {
                SecurityType::ConfidentialVM =>
                    "a ConfidentialVM definition takes only a confidential build",
                SecurityType::Standard =>
                    "the definition does not support Trusted Launch or confidential VMs; set its security type (a new definition: it cannot change) or build a Standard VM",
                _ => "the definition does not support the build's security type",
            }
        ),
    )]
}

/// What the version is created from against what the definition takes.
fn source_kind(t: &Target<'_>, build: BuildSource, unchecked: &mut Vec<String>) -> Vec<Finding> {
    let wanted = t.security();
    let Some(kind) = build.kind else {
        if handoff::captures_through_managed_image(wanted) || wanted == SecurityType::ConfidentialVM
        {
            unchecked.push(format!(
                "What the version is created from is not known (give the tool, or e.g. --source-kind): a {} definition takes only some sources.",
                wanted.name()
            ));
        }
        return Vec::new();
    };
    let mut findings = Vec::new();
    if kind == SourceKind::VirtualMachine && handoff::captures_through_managed_image(wanted) {
        let name = wanted.name();
        findings.push(
            Finding::error(
                Check::SourceKind,
                format!(
                    "The version is created from the build VM, which a {name} definition does not take: capture a managed image first (Packer: managed_image_name)"
                ),
            )
            .quoting(
                format!(
                    "The security type '{name}' is not supported for the source id '<the build VM>'. Currently only Vhd Blob, User Image and Gallery Image Version sources are supported for '{name}' images."
                ),
                SOURCE_304,
            ),
        );
    }
    if kind == SourceKind::ManagedImage && wanted == SecurityType::ConfidentialVM {
        findings.push(
            Finding::error(
                Check::SourceKind,
                "A ConfidentialVM definition takes no managed image: publish from the VM, its disks or snapshots",
            )
            .quoting(
                "Confidential VM is not supported for the source id '<the managed image>'. Currently Snapshot, Disk and VM sources are supported for the Confidential VM security type.",
                SOURCE_372,
            ),
        );
    }
    if kind == SourceKind::ManagedImage && build.security == Some(SecurityType::TrustedLaunch) {
        findings.push(
            Finding::error(
                Check::SourceKind,
                "A Trusted Launch build VM cannot be captured as a managed image: publish straight from the VM",
            )
            .quoting(
                "Creation of managed images are not supported for virtual machine with TrustedLaunch security type.",
                SOURCE_13189,
            ),
        );
    }
    findings
}
