//! Response bodies to decode: the specs' own sample responses, and a large generated
//! `DescribeImages` page.

use acs_catalog::OPERATIONS;
use acs_codegen::SpecErrors;
use acs_runtime::catalog;
use acs_runtime::decode::{Anomaly, DecodeError};
use serde_json::{Value, json};

use crate::specs;

/// One sample response of a spec.
#[derive(Debug, Clone)]
pub struct SampleBody {
    /// The product's module (`ecs`).
    pub module: String,
    /// The operation (`DescribeImages`).
    pub action: String,
    /// The sample's name in the spec.
    pub name: String,
    /// The body (the repaired copy where the published one is not JSON).
    pub body: Vec<u8>,
}

/// Why the samples could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// `specs/` could not be read.
    #[error("cannot read the specs: {0}")]
    Io(#[from] std::io::Error),
    /// A spec does not validate.
    #[error("the specs do not validate:\n{0}")]
    Spec(#[from] SpecErrors),
}

/// Every successful (2xx) sample response of every spec in `specs/`.
pub fn success_samples() -> Result<Vec<SampleBody>, SampleError> {
    let sources = specs::workspace_specs()?;
    let products = acs_codegen::validate_all(&sources)?;
    let mut samples = Vec::new();
    for product in &products {
        for operation in &product.operations {
            for sample in &operation.samples {
                if (200..300).contains(&sample.status) {
                    samples.push(SampleBody {
                        module: product.module.clone(),
                        action: operation.action.clone(),
                        name: sample.name.clone(),
                        body: sample.body.clone().into_bytes(),
                    });
                }
            }
        }
    }
    Ok(samples)
}

/// One image as the service sends it today: every field the spec declares, and fields the
/// 2014 page does not document (`Description`, `ImageFamily`, `Tags`, `DetectionOptions`, ...),
/// which every decoder must skip. About 1 KB of compact JSON.
fn image(index: usize) -> Value {
    json!({
        "Architecture": "x86_64",
        "BootMode": "UEFI-Preferred",
        "CreationTime": format!("2024-05-{:02}T02:14:33Z", index % 28 + 1),
        "Description": format!("Ubuntu 22.04 with the security updates of build {index} and cloud-init."),
        "DetectionOptions": {"Status": "Finished", "Items": {"Item": []}},
        "DiskDeviceMappings": {"DiskDeviceMapping": [
            {"Device": "/dev/xvda", "Size": "40", "Type": "system"},
            {"Device": "/dev/xvdb", "Size": "100", "Type": "data"},
            {"Device": "/dev/xvdc", "Size": "500", "Type": "data"}
        ]},
        "Features": {"NvmeSupport": "supported"},
        "ImageFamily": "acs:ubuntu_22_04_x64",
        "ImageId": format!("m-bp1g7004ksh0oeuc{index:06}"),
        "ImageName": format!("ubuntu_22_04_x64_20G_alibase_20240508_{index}.vhd"),
        "ImageOwnerAlias": "self",
        "ImageVersion": format!("2.0.{index}"),
        "IsCopied": false,
        "IsSelfShared": "",
        "IsSubscribed": false,
        "IsSupportCloudinit": true,
        "IsSupportIoOptimized": true,
        "OSName": "Ubuntu  22.04 64位",
        "OSNameEn": "Ubuntu  22.04 64 bit",
        "OSType": "linux",
        "Platform": "Ubuntu",
        "ProductCode": "",
        "Progress": "100%",
        "Size": 40,
        "Status": "Available",
        "Tags": {"Tag": [
            {"TagKey": "env", "TagValue": "production"},
            {"TagKey": "team", "TagValue": "platform"}
        ]},
        "Usage": "instance"
    })
}

/// A `DescribeImages` response page of `images` images, compact JSON as the service sends it
/// (1,000 images make about 1 MB).
pub fn describe_images_page(images: usize) -> Vec<u8> {
    let body = json!({
        "RequestId": "49CBCED4-C9B9-4851-BEB5-8FB5E5169E30",
        "RegionId": "cn-hangzhou",
        "TotalCount": images,
        "PageNumber": 1,
        "PageSize": images,
        "Images": {"Image": (0..images).map(image).collect::<Vec<_>>()}
    });
    // A `Value` of strings and numbers always serialises.
    serde_json::to_vec(&body).unwrap_or_default()
}

/// Decodes a body into an operation's generated response type, leniently, as the client does;
/// returns the anomalies.
pub type Decoder = fn(&[u8]) -> Result<Vec<Anomaly>, DecodeError>;

/// The lenient decoder of `module::action`'s response, from the generated catalog; the error
/// says how to get an operation the catalog lacks.
pub fn decoder_for(module: &str, action: &str) -> Result<Decoder, String> {
    catalog::find(&OPERATIONS, module, action).map(|entry| entry.decode)
}

/// A `DescribeInstances` response page of `instances` instances, compact JSON written directly
/// (a large page is built in well under a second, without a tree of its own). The instance at `odd_cpu`, if any, has `"Cpu": "four"`: one field that fits no
/// reading of its type. About 590 bytes an instance: 91,180 make 51 MiB.
pub fn describe_instances_page(instances: usize, odd_cpu: Option<usize>) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = Vec::with_capacity(instances * 600 + 200);
    // Writing into a `Vec` cannot fail.
    let _ = write!(
        out,
        r#"{{"RequestId":"49CBCED4-C9B9-4851-BEB5-8FB5E5169E30","TotalCount":{instances},"PageNumber":1,"PageSize":{instances},"Instances":{{"Instance":["#
    );
    for i in 0..instances {
        if i > 0 {
            out.push(b',');
        }
        let cpu = if Some(i) == odd_cpu {
            "\"four\"".to_owned()
        } else {
            (1 << (i % 5)).to_string()
        };
        let (a, b) = (i / 256 % 256, i % 256);
        let _ = write!(
            out,
            concat!(
                r#"{{"InstanceId":"i-bp1{i:017x}","InstanceName":"web-{i}","#,
                r#""ImageId":"ubuntu_22_04_x64_20G_alibase_20240508.vhd","InstanceType":"ecs.g7.large","#,
                r#""Cpu":{cpu},"Memory":{memory},"Status":"Running","CreationTime":"2024-05-{day:02}T02:14Z","#,
                r#""InstanceChargeType":"PostPaid","InternetMaxBandwidthOut":5,"IoOptimized":true,"OSType":"linux","#,
                r#""VpcAttributes":{{"VpcId":"vpc-bp1{i:017x}","VSwitchId":"vsw-bp1{i:017x}","#,
                r#""PrivateIpAddress":{{"IpAddress":["172.16.{a}.{b}"]}}}},"#,
                r#""SecurityGroupIds":{{"SecurityGroupId":["sg-bp1{i:017x}"]}},"#,
                r#""Tags":{{"Tag":[{{"TagKey":"team","TagValue":"web"}}]}}}}"#
            ),
            i = i,
            cpu = cpu,
            memory = (1 << (i % 5)) * 4096,
            day = i % 28 + 1,
            a = a,
            b = b,
        );
    }
    out.extend_from_slice(b"]}}");
    out
}
