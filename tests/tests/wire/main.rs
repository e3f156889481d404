//! What the SDK writes and reads on the wire, for every operation of the specs: requests built
//! as Alibaba's official SDKs build them (`conformance`), parameters that break naive encoders
//! (`request_edges`), responses mutated in every way a service or a network can mangle them
//! (`response_mutations`), and the whole response of each hand-written operation
//! (`whole_responses`), and secret parameters sent but never shown (`secret_parameters`).

mod conformance;
mod empty_lists;
mod request_edges;
mod response_mutations;
mod secret_parameters;
mod whole_responses;
