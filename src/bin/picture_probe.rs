//! An experiment, not a product (issue 16): what a picture-only embed would weigh.
//! The served light embed grew from it: `src/bin/embed.rs`.
//! The smallest page that does what `?embed=1&ui=none` does today: read the link,
//! parse the built-in scenario it names, run it to the still picture, paint the
//! stream on a canvas with its caption, and play and pause it. Everything the full
//! page adds (controls, charts, log, table, comparison, export, AWS bridge, lessons,
//! challenges, presenter mode, following a record) is left out, so that the linker
//! drops it and the built WebAssembly measures the rest. It is never served:
//! `index.html` builds the `kinesis-playground` binary. To measure it:
//! `cargo build --profile web --target wasm32-unknown-unknown --bin picture_probe`,
//! then wasm-bindgen and wasm-opt as trunk runs them (README, "Bundle size").

#[cfg(target_arch = "wasm32")]
mod probe {
    use gloo::timers::callback::Interval;
    use kinesis_playground::sim::{SimDuration, Simulation};
    use kinesis_playground::ui::paint;
    use kinesis_playground::view::{embed, picture, scenarios};
    use yew::prelude::*;

    pub enum Msg {
        Toggle,
        Tick,
    }

    pub struct Probe {
        sim: Option<Simulation>,
        caption: String,
        canvas: NodeRef,
        timer: Option<Interval>,
    }

    impl Component for Probe {
        type Message = Msg;
        type Properties = ();

        fn create(_ctx: &Context<Self>) -> Self {
            let query = web_sys::window()
                .and_then(|w| w.location().search().ok())
                .unwrap_or_default();
            let choices = scenarios::choices();
            let opened = embed::open(&query, &choices);
            let (sim, caption) = match opened.scenario {
                Some(s) => {
                    let mut sim = Simulation::new(&s);
                    let caption = embed::advance_to_still(&mut sim);
                    (Some(sim), caption)
                }
                None => (None, "This scenario does not parse.".to_string()),
            };
            Probe {
                sim,
                caption,
                canvas: NodeRef::default(),
                timer: None,
            }
        }

        fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
            match msg {
                Msg::Toggle => {
                    if self.timer.take().is_none() {
                        let link = ctx.link().clone();
                        self.timer = Some(Interval::new(50, move || link.send_message(Msg::Tick)));
                        self.caption.clear();
                    }
                    true
                }
                Msg::Tick => {
                    if let Some(sim) = &mut self.sim {
                        let to = sim.now() + SimDuration::from_s(1);
                        sim.run_until(to, 100_000);
                    }
                    true
                }
            }
        }

        fn view(&self, ctx: &Context<Self>) -> Html {
            let playing = self.timer.is_some();
            html! {
                <main class="embed">
                    <canvas ref={self.canvas.clone()} data-testid="stream-canvas"></canvas>
                    <p data-testid="embed-caption">{ self.caption.clone() }</p>
                    <button data-testid="embed-play" onclick={ctx.link().callback(|_| Msg::Toggle)}>
                        { if playing { "Pause" } else { "Play" } }
                    </button>
                </main>
            }
        }

        fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
            let (Some(sim), Some(canvas)) = (&self.sim, self.canvas.cast()) else {
                return;
            };
            let theme = picture::Theme::for_scheme(false);
            // A failure to paint leaves the canvas as it was: the caption still tells.
            let _ = paint::paint_stream(&canvas, &sim.snapshot(), theme, &Default::default());
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<probe::Probe>::new().render();
}

/// Natively there is nothing to run: the probe is a WebAssembly size measurement.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
