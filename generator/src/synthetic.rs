//! Synthetic specs of any number of operations, to measure how the generator's time and the
//! generated crate's compile cost grow (`cargo xtask bench-compile`, the generator benchmarks).
//!
//! Each operation is shaped like the real ones: a required region, an idempotency token, lists in
//! every wire style (JSON, comma-joined, repeated, flattened objects), an open enum, limits, a
//! body parameter, page-number paging, a wrapped list of its own item shape in the response,
//! documented errors and a sample response. Operations differ only by their number, so the work
//! per operation is the same and the growth can be read directly.

use std::fmt::Write as _;

use crate::SpecSource;

/// A spec of one synthetic product with `operations` operations, named
/// `specs/synthetic-<operations>.yaml`.
pub fn synthetic_spec(operations: usize) -> SpecSource {
    let mut text = String::with_capacity(6_000 * operations + 2_000);
    text.push_str(PRODUCT);
    text.push_str("shapes:\n");
    text.push_str(SHARED_SHAPES);
    for index in 1..=operations {
        write_item_shape(&mut text, index);
    }
    text.push_str("operations:\n");
    for index in 1..=operations {
        write_operation(&mut text, index);
    }
    SpecSource {
        name: format!("specs/synthetic-{operations}.yaml"),
        text,
    }
}

const PRODUCT: &str = r#"product:
  code: Synthetic
  name: Synthetic Widget Service
  module: synthetic
  version: "2024-01-01"
  style: rpc
  signature: v3
  description: A product made up to measure the generator; every operation has the same shape.
  endpoint:
    regional: "widgets.{region_id}.aliyuncs.com"
    central: "widgets.aliyuncs.com"
    central_regions: [cn-hangzhou, cn-shanghai]
    regions:
      cn-hangzhou-finance: widgets-finance.aliyuncs.com
    networks:
      vpc: "widgets-vpc.{region_id}.aliyuncs.com"
"#;

const SHARED_SHAPES: &str = r#"  Tag:
    description: A tag of a widget.
    fields:
      - name: Key
        type: string
        description: The tag key.
        example: TestKey
        limits:
          min_length: 1
          max_length: 128
      - name: Value
        type: string
        description: The tag value.
        example: TestValue
        limits:
          max_length: 128
  Filter:
    description: A filter on the widgets' attributes.
    fields:
      - name: Key
        type: string
        description: The attribute to filter on.
        example: CreationStartTime
      - name: Value
        type: string
        description: The value the attribute must have.
        example: "2024-01-01T00:00Z"
"#;

fn write_item_shape(text: &mut String, index: usize) {
    // Writing to a String cannot fail.
    let _ = write!(
        text,
        r#"  Widget{index}:
    description: A widget returned by operation {index}.
    fields:
      - name: WidgetId
        type: string
        description: The ID of the widget.
        example: w-bp1{index:05}example
      - name: WidgetName
        type: string
        description: The name of the widget.
        example: widget-{index}
      - name: Status
        type: string
        description: The status of the widget.
        example: Available
      - name: CreationTime
        type: string
        description: When the widget was created, in UTC.
        example: "2024-01-01T00:00:00Z"
      - name: Size
        type: long
        description: The size of the widget, in GiB.
        example: "40"
      - name: Price
        type: double
        description: The hourly price of the widget.
        example: "0.25"
      - name: Shared
        type: boolean
        description: Whether the widget is shared with other accounts.
        example: "false"
      - name: Progress
        type: integer
        description: The progress of the widget's creation, in percent.
        example: "100"
      - name: Tags
        type: array
        items: Tag
        wrapper: Tag
        description: The tags of the widget.
"#
    );
}

fn write_operation(text: &mut String, index: usize) {
    let _ = write!(
        text,
        r#"  - action: DescribeWidgets{index}
    title: Queries the widgets of family {index}.
    description: |
      Queries the widgets of family {index} in a region, one page at a time. Filter by ID, group,
      zone, status or tag; results are sorted by creation time.
    methods: [POST, GET]
    ram:
      action: synthetic:DescribeWidgets{index}
      access_level: list
      resource_types: ["*All Resource"]
      condition_keys: []
      dependent_actions: []
    sources: [synthetic.txt]
    request:
      - name: RegionId
        type: string
        required: true
        description: The ID of the region.
        example: cn-hangzhou
      - name: ClientToken
        type: string
        idempotency_token: true
        description: A token that makes the request idempotent.
        example: 123e4567-e89b-12d3-a456-426655440000
        limits:
          max_length: 64
          ascii: true
      - name: WidgetIds
        type: array
        items: string
        style: json
        description: The IDs of the widgets, as one JSON array.
        example: '["w-1", "w-2"]'
        limits:
          max_items: 100
      - name: GroupId
        type: array
        items: string
        style: comma
        description: The IDs of the widget groups, separated by commas.
        limits:
          max_items: 50
      - name: ZoneId
        type: array
        items: string
        description: The IDs of the zones.
        limits:
          max_items: 10
      - name: Status
        type: string
        description: The status of the widgets to return.
        example: Available
        enum: Widget{index}Status
        values:
          - value: Available
            description: The widget can be used.
          - value: Creating
            description: The widget is being created.
          - value: CreateFailed
            description: The widget could not be created.
      - name: Tag
        type: array
        items: Tag
        description: The tags the widgets must carry.
        limits:
          max_items: 20
      - name: Filter
        type: Filter
        description: An attribute filter.
      - name: DryRun
        type: boolean
        description: Whether to check the request without running it.
        example: "false"
      - name: MinSize
        type: integer
        description: The smallest size to return, in GiB.
        example: "20"
        limits:
          min: 1
          max: 32768
      - name: Note
        type: string
        location: body
        description: A note kept with the request.
        limits:
          max_length: 256
      - name: PageNumber
        type: integer
        description: The page number.
        default: "1"
        limits:
          min: 1
      - name: PageSize
        type: integer
        description: The number of entries per page.
        default: "10"
        limits:
          max: 100
    response:
      description: The widgets of the page.
      fields:
        - name: RequestId
          type: string
          description: The ID of the request.
          example: 473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E
        - name: TotalCount
          type: integer
          description: The total number of widgets.
          example: "24"
        - name: PageNumber
          type: integer
          description: The page number.
          example: "1"
        - name: PageSize
          type: integer
          description: The number of entries per page.
          example: "10"
        - name: Widgets
          type: array
          items: Widget{index}
          wrapper: Widget
          description: The widgets.
    errors:
      - status: 400
        code: InvalidParameter.%s
        message: The specified parameter is invalid.
      - status: 404
        code: InvalidRegionId.NotFound
        message: The specified RegionId does not exist.
    paging:
      page_number: PageNumber
      page_size: PageSize
      total_count: TotalCount
      items: Widgets
    samples:
      - name: success
        status: 200
        body: |
          {{
            "RequestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
            "TotalCount": 1,
            "PageNumber": 1,
            "PageSize": 10,
            "Widgets": {{
              "Widget": [
                {{
                  "WidgetId": "w-bp1{index:05}example",
                  "WidgetName": "widget-{index}",
                  "Status": "Available",
                  "CreationTime": "2024-01-01T00:00:00Z",
                  "Size": 40,
                  "Price": 0.25,
                  "Shared": false,
                  "Progress": 100,
                  "Tags": {{"Tag": [{{"Key": "TestKey", "Value": "TestValue"}}]}}
                }}
              ]
            }}
          }}
"#
    );
}
