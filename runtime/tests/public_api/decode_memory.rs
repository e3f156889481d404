//! What the recovering decode costs in memory, against the plain decode of the same body: one
//! field that does not fit its type must cost about what the whole body costs when every field
//! fits, not a tree of the body and copies of its parts.
//!
//! The types are shaped like the generated ones (`DescribeInstances`: a page of instances, each
//! with text, numbers, nested objects and wrapped lists) and decode through the same calls.

use acs_runtime::codegen::object::{self, Object};
use acs_runtime::codegen::{lenient::WrapperKey, object_serde};
use acs_runtime::decode::decode_response;
use acs_test_support::allocation::peak_allocation;
use serde::de::MapAccess;

#[derive(Debug, Default)]
struct Page {
    instances: Vec<Instance>,
    request_id: Option<String>,
    total_count: Option<i64>,
}

#[derive(Debug, Default)]
struct Instance {
    instance_id: Option<String>,
    instance_name: Option<String>,
    description: Option<String>,
    status: Option<String>,
    cpu: Option<i32>,
    memory: Option<i32>,
    io_optimized: Option<bool>,
    creation_time: Option<String>,
    vpc: Option<Vpc>,
    security_group_ids: Vec<String>,
    tags: Vec<Tag>,
    interfaces: Vec<Interface>,
}

#[derive(Debug, Default)]
struct Vpc {
    vpc_id: Option<String>,
    private_ips: Vec<String>,
}

#[derive(Debug, Default)]
struct Tag {
    key: Option<String>,
    value: Option<String>,
}

#[derive(Debug, Default)]
struct Interface {
    id: Option<String>,
    mac: Option<String>,
    ips: Vec<PrivateIp>,
}

#[derive(Debug, Default)]
struct PrivateIp {
    address: Option<String>,
    primary: Option<bool>,
}

macro_rules! wrapper {
    ($name:ident, $key:literal) => {
        struct $name;
        impl WrapperKey for $name {
            const KEY: &'static str = $key;
        }
    };
}
wrapper!(InstanceKey, "Instance");
wrapper!(IdKey, "SecurityGroupId");
wrapper!(TagKey, "Tag");
wrapper!(IpKey, "IpAddress");
wrapper!(InterfaceKey, "NetworkInterface");
wrapper!(PrivateIpKey, "PrivateIpSet");

impl Object for Page {
    const NAME: &'static str = "Page";
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "Instances" => object::wrapped_list::<InstanceKey, _, _>(map, &mut self.instances),
            "RequestId" => object::opt(map, &mut self.request_id),
            "TotalCount" => object::opt(map, &mut self.total_count),
            _ => object::skip(map),
        }
    }
}

impl Object for Instance {
    const NAME: &'static str = "Instance";
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "InstanceId" => object::opt(map, &mut self.instance_id),
            "InstanceName" => object::opt(map, &mut self.instance_name),
            "Description" => object::opt(map, &mut self.description),
            "Status" => object::opt(map, &mut self.status),
            "Cpu" => object::opt(map, &mut self.cpu),
            "Memory" => object::opt(map, &mut self.memory),
            "IoOptimized" => object::opt(map, &mut self.io_optimized),
            "CreationTime" => object::opt(map, &mut self.creation_time),
            "VpcAttributes" => object::opt(map, &mut self.vpc),
            "SecurityGroupIds" => {
                object::wrapped_list::<IdKey, _, _>(map, &mut self.security_group_ids)
            }
            "Tags" => object::wrapped_list::<TagKey, _, _>(map, &mut self.tags),
            "NetworkInterfaces" => {
                object::wrapped_list::<InterfaceKey, _, _>(map, &mut self.interfaces)
            }
            _ => object::skip(map),
        }
    }
}

impl Object for Vpc {
    const NAME: &'static str = "Vpc";
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "VpcId" => object::opt(map, &mut self.vpc_id),
            "PrivateIpAddress" => object::wrapped_list::<IpKey, _, _>(map, &mut self.private_ips),
            _ => object::skip(map),
        }
    }
}

impl Object for Tag {
    const NAME: &'static str = "Tag";
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "TagKey" => object::opt(map, &mut self.key),
            "TagValue" => object::opt(map, &mut self.value),
            _ => object::skip(map),
        }
    }
}

impl Object for Interface {
    const NAME: &'static str = "Interface";
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "NetworkInterfaceId" => object::opt(map, &mut self.id),
            "MacAddress" => object::opt(map, &mut self.mac),
            "PrivateIpSets" => object::wrapped_list::<PrivateIpKey, _, _>(map, &mut self.ips),
            _ => object::skip(map),
        }
    }
}

impl Object for PrivateIp {
    const NAME: &'static str = "PrivateIp";
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "PrivateIpAddress" => object::opt(map, &mut self.address),
            "Primary" => object::opt(map, &mut self.primary),
            _ => object::skip(map),
        }
    }
}

object_serde!(Page, Instance, Vpc, Tag, Interface, PrivateIp);

/// A page of `count` instances, about 800 bytes each; the instance at `odd`, if any, has a `Cpu`
/// that is no number.
fn page(count: usize, odd: Option<usize>) -> Vec<u8> {
    let instances: Vec<String> = (0..count)
        .map(|i| {
            let cpu = if Some(i) == odd { "\"four\"".to_owned() } else { (i % 64 + 1).to_string() };
            format!(
                concat!(
                    r#"{{"InstanceId":"i-bp1{i:017}","InstanceName":"web-{i}","Description":"an instance of the web tier, number {i}","#,
                    r#""Status":"Running","Cpu":{cpu},"Memory":{memory},"IoOptimized":true,"CreationTime":"2024-01-{day:02}T08:00Z","#,
                    r#""Unknown":{{"Skipped":[1,2,3],"Also":"text"}},"#,
                    r#""VpcAttributes":{{"VpcId":"vpc-bp1{i:017}","PrivateIpAddress":{{"IpAddress":["172.16.{a}.{b}"]}}}},"#,
                    r#""SecurityGroupIds":{{"SecurityGroupId":["sg-bp1{i:017}","sg-bp2{i:017}"]}},"#,
                    r#""Tags":{{"Tag":[{{"TagKey":"team","TagValue":"web"}},{{"TagKey":"env","TagValue":"prod"}}]}},"#,
                    r#""NetworkInterfaces":{{"NetworkInterface":[{{"NetworkInterfaceId":"eni-bp1{i:017}","MacAddress":"00:16:3e:00:{a:02x}:{b:02x}","#,
                    r#""PrivateIpSets":{{"PrivateIpSet":[{{"PrivateIpAddress":"172.16.{a}.{b}","Primary":true}}]}}}}]}}}}"#
                ),
                i = i,
                cpu = cpu,
                memory = (i % 16 + 1) * 1024,
                day = i % 28 + 1,
                a = i / 256 % 256,
                b = i % 256,
            )
        })
        .collect();
    format!(
        r#"{{"RequestId":"49CBCED4-C9B9-4851-BEB5-8FB5E5169E30","TotalCount":{count},"Instances":{{"Instance":[{}]}}}}"#,
        instances.join(",")
    )
    .into_bytes()
}

#[test]
fn one_odd_field_costs_about_what_the_whole_body_costs() {
    const COUNT: usize = 4_000;
    let good = page(COUNT, None);
    let odd = page(COUNT, Some(COUNT / 2));
    let (plain, plain_peak) = peak_allocation(|| decode_response::<Page>(&good));
    let (plain, anomalies) = plain.expect("the good body decodes");
    assert!(anomalies.is_empty(), "{anomalies:?}");
    assert_eq!(plain.instances.len(), COUNT);
    drop(plain);
    let (recovered, recovered_peak) = peak_allocation(|| decode_response::<Page>(&odd));
    let (recovered, anomalies) = recovered.expect("the body with one odd field decodes");
    assert_eq!(recovered.instances.len(), COUNT);
    assert_eq!(recovered.total_count, Some(COUNT as i64));
    assert_eq!(recovered.instances[COUNT / 2].cpu, None);
    assert_eq!(
        recovered.instances[COUNT / 2].memory,
        Some((COUNT / 2 % 16 + 1) as i32 * 1024)
    );
    assert_eq!(
        recovered.instances[COUNT - 1].interfaces[0].ips[0].primary,
        Some(true)
    );
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    assert_eq!(
        anomalies[0].path,
        format!("Instances.Instance[{}].Cpu", COUNT / 2)
    );
    let ratio = recovered_peak as f64 / plain_peak as f64;
    println!(
        "body {} bytes: plain decode peak {plain_peak} bytes, with one odd field {recovered_peak} bytes ({ratio:.2}x)",
        odd.len()
    );
    assert!(
        ratio <= 1.5,
        "one odd field in a {}-byte body raised the decode's peak from {plain_peak} to {recovered_peak} bytes ({ratio:.2}x)",
        odd.len()
    );
}
