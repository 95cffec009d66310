//! `E` in the UI: the world as it is, in every diagram format, in a new folder the notice
//! names — the same bytes as `oauth-lab export` gives for the same world.

use oauth_lab::cli::export_cmd::{ExportArgs, render};
use oauth_lab::export::ExportFormat;
use oauth_lab::export::folder::FILES;
use oauth_lab::testing::{ch, launch_saving_to, press_and_save, screen, temp_dir};

#[test]
fn e_exports_every_format_into_a_new_folder_named_in_a_notice() {
    let dir = temp_dir("tui-export", "e");
    let mut app = launch_saving_to(&dir);
    press_and_save(&mut app, ch('E'));
    let folder = dir.join("exports").join("flow-1");
    for (_, name) in FILES {
        let len = std::fs::metadata(folder.join(name)).map(|m| m.len());
        assert!(len.is_ok_and(|l| l > 0), "{name} written");
    }
    assert!(
        screen(&app).contains("Exported 5 formats"),
        "{}",
        screen(&app)
    );
    let cli = render(&ExportArgs::new(ExportFormat::Mermaid)).unwrap();
    let ui = std::fs::read_to_string(folder.join("flow.mmd")).unwrap();
    assert!(ui == cli, "the UI exports what `oauth-lab export` prints");
    // A second export never overwrites the first.
    press_and_save(&mut app, ch('E'));
    assert!(
        dir.join("exports")
            .join("flow-2")
            .join("flow.html")
            .exists()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
