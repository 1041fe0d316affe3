//! The canonical context shape (the policy's own field names).

use core::marker::PhantomData;

use super::fields::{adapter, rate, scalar};
use crate::context::host::{HostObject, lookup};
use crate::context::value::Value;
use crate::context::{Context, Field};

adapter! {
    /// The canonical shape: the fields of the [policy reference](crate::policy_reference) by
    /// their policy names
    /// (`name`, `op`, `origin`, `method`, `path`, `parentSampled`, `parentSampleRate`,
    /// `sampled` (forced), `attributes`, `custom`; for error events `exception`, `level`,
    /// `logger`, `message`, `tags`), plus `sampleRand`.
    Canonical
}

impl<'a, H: HostObject<'a>> Context for Canonical<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        scalar(&self.root, field.as_str())
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        scalar(&self.root.get("attributes")?, key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.root.get("attributes").is_some_and(|a| a.has_key_with_prefix(prefix))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        lookup(&self.root.get("custom")?, path)?.value()
    }
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        scalar(&self.root.get("tags")?, key)
    }
    fn parent_sampled(&self) -> Option<bool> {
        scalar(&self.root, "parentSampled")?.as_bool()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        rate(&self.root, "parentSampleRate")
    }
    fn forced(&self) -> Option<bool> {
        scalar(&self.root, "sampled")?.as_bool()
    }
    fn sample_rand(&self) -> Option<f64> {
        scalar(&self.root, "sampleRand")?.as_f64()
    }
}
