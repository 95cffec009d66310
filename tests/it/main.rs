//! The integration tests, in one binary: one link on the CI machine instead of one per
//! file. Each module was a test file of its own; they share the harness of
//! `oauth_lab::testing`.

/// The program under test.
const BIN: &str = env!("CARGO_BIN_EXE_oauth-lab");

mod annotations;
mod attack_matrix;
mod attack_mechanisms;
mod attack_mechanisms_dpop;
mod attack_mechanisms_par;
mod auth_server_endpoints;
mod browser_actor;
mod challenge_engine;
mod challenge_files;
mod challenge_progress;
mod challenge_solutions;
mod challenge_validator;
mod determinism;
mod export_cli;
mod export_renderers;
mod export_snapshots;
mod export_support;
mod fapi2_flow;
mod hardening_files;
mod hardening_terminal_text;
mod hostile_auth_server;
mod hostile_resource_server;
mod interop_oauth2;
mod lessons_all;
mod lessons_malformed;
mod lessons_progress;
mod live_attacker_site;
mod live_browser;
mod live_examples;
mod live_flow;
mod live_hold;
mod live_hostile;
mod live_race;
mod live_record;
mod module_cycles;
mod narration;
mod native_app_pushed;
mod protocol_authorization_endpoint;
mod protocol_client;
mod protocol_dpop;
mod protocol_framing;
mod protocol_oidc_client;
mod protocol_par_assertions;
mod protocol_refresh;
mod protocol_registration;
mod protocol_resource_server;
mod protocol_token_endpoint;
mod protocol_token_rules;
mod resource_server_actor;
mod scenario_files;
mod secrets_redacted;
mod tui_cli;
mod tui_console;
mod tui_edges;
mod tui_export;
mod tui_keys;
mod tui_lessons;
mod tui_matrix;
mod tui_monkey;
mod tui_snapshots;
mod tui_tmux;
