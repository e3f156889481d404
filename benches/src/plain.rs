//! Plain derived serde mirrors of `DescribeImages`' response: no leniency, no anomaly recovery,
//! no open enums. Decoding into these is the floor the generated, lenient types are read against.

use serde::Deserialize;

/// `DescribeImages`' response body.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DescribeImagesResponse {
    /// The region.
    #[serde(rename = "RegionId")]
    pub region_id: Option<String>,
    /// The total number of images.
    #[serde(rename = "TotalCount")]
    pub total_count: Option<i32>,
    /// The page number.
    #[serde(rename = "PageNumber")]
    pub page_number: Option<i32>,
    /// The page size.
    #[serde(rename = "PageSize")]
    pub page_size: Option<i32>,
    /// The images, wrapped as `{"Image": [...]}`.
    #[serde(rename = "Images")]
    pub images: Option<Images>,
    /// The request ID.
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
}

/// The wrapper object of the image list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Images {
    /// The images.
    #[serde(rename = "Image", default)]
    pub image: Vec<Image>,
}

/// One image.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Image {
    /// CPU architecture.
    #[serde(rename = "Architecture")]
    pub architecture: Option<String>,
    /// Creation time.
    #[serde(rename = "CreationTime")]
    pub creation_time: Option<String>,
    /// Disk mappings, wrapped as `{"DiskDeviceMapping": [...]}`.
    #[serde(rename = "DiskDeviceMappings")]
    pub disk_device_mappings: Option<DiskDeviceMappings>,
    /// Image ID.
    #[serde(rename = "ImageId")]
    pub image_id: Option<String>,
    /// Image name.
    #[serde(rename = "ImageName")]
    pub image_name: Option<String>,
    /// Owner alias.
    #[serde(rename = "ImageOwnerAlias")]
    pub image_owner_alias: Option<String>,
    /// Image version.
    #[serde(rename = "ImageVersion")]
    pub image_version: Option<String>,
    /// Whether the image is a copy.
    #[serde(rename = "IsCopied")]
    pub is_copied: Option<bool>,
    /// Whether the image is subscribed.
    #[serde(rename = "IsSubscribed")]
    pub is_subscribed: Option<bool>,
    /// OS name.
    #[serde(rename = "OSName")]
    pub os_name: Option<String>,
    /// OS type.
    #[serde(rename = "OSType")]
    pub os_type: Option<String>,
    /// Platform.
    #[serde(rename = "Platform")]
    pub platform: Option<String>,
    /// Creation progress.
    #[serde(rename = "Progress")]
    pub progress: Option<String>,
    /// Size in GiB.
    #[serde(rename = "Size")]
    pub size: Option<i32>,
    /// Status.
    #[serde(rename = "Status")]
    pub status: Option<String>,
    /// Usage.
    #[serde(rename = "Usage")]
    pub usage: Option<String>,
}

/// The wrapper object of the disk mappings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DiskDeviceMappings {
    /// The mappings.
    #[serde(rename = "DiskDeviceMapping", default)]
    pub disk_device_mapping: Vec<DiskDeviceMapping>,
}

/// One disk mapping.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DiskDeviceMapping {
    /// Device name.
    #[serde(rename = "Device")]
    pub device: Option<String>,
    /// Size in GiB, sent as a string.
    #[serde(rename = "Size")]
    pub size: Option<String>,
}
