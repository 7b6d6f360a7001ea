//! The reference verifier as an adapter: every feature, exact reasons. Stateful vectors run
//! against one [`World`] per vector, rebuilt at step 0; a live key-set vector's world fetches
//! over HTTPS from the runner's server.

use std::sync::Mutex;

use crate::adapter::{Adapter, AdapterInfo, Capabilities, Case, Outcome};
use crate::live::reference_get;
use crate::reference::World;
use verifier::Backend;

/// The jwt-conformance reference verifier.
#[derive(Default)]
pub struct Reference {
    state: Mutex<Option<State>>,
}

struct State {
    id: String,
    world: Result<World, Outcome>,
}

impl Reference {
    pub fn new() -> Self {
        Reference::default()
    }
}

impl Adapter for Reference {
    fn info(&self) -> AdapterInfo {
        AdapterInfo {
            name: "reference".to_owned(),
            library: "jwt-conformance verifier (Rust)".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            capabilities: Capabilities {
                exact: true,
                logical_clock: true,
                ..Capabilities::all()
            },
            notes: vec![
                "the oracle: every feature, algorithm and preset; exact reason IDs and claims"
                    .to_owned(),
            ],
        }
    }

    fn verify(&self, case: &Case<'_>) -> Outcome {
        // A poisoned lock only means an earlier call panicked; the state is rebuilt at step 0.
        let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = case.step == 0 || guard.as_ref().is_none_or(|s| s.id != case.vector.id);
        if fresh {
            let world = match case.live {
                Some(live) => World::fetching(case.vector, Backend::DEFAULT, reference_get(live)),
                None => World::new(case.vector),
            };
            *guard = Some(State {
                id: case.vector.id.clone(),
                world,
            });
        }
        let Some(state) = guard.as_ref() else {
            return Outcome::AdapterError {
                error: "no world".to_owned(),
            };
        };
        match &state.world {
            Err(outcome) => outcome.clone(),
            Ok(world) => {
                case.actions.iter().for_each(|a| world.apply(a));
                world.verify(case.token, case.now)
            }
        }
    }
}
