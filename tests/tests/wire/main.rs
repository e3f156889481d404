//! What the SDK writes and reads on the wire, for every operation of the specs: requests built
//! as Alibaba's official SDKs build them (`conformance` for the written operations' hand-made
//! cases, `every_operation` for generated cases of all of them), parameters that break naive encoders
//! (`request_edges`), responses mutated in every way a service or a network can mangle them
//! (`response_mutations`), the whole response of every operation (`whole_responses`), and secret parameters sent but never shown (`secret_parameters`).

mod conformance;
mod empty_lists;
mod every_operation;
mod request_edges;
mod response_mutations;
mod secret_parameters;
mod whole_responses;
