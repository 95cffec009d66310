//! The bundled challenges: each reads without a problem, and the list in the binary is
//! the directory.

use oauth_lab::challenge::bundled;

#[test]
fn every_bundled_challenge_reads() {
    let (all, problems) = bundled::challenges();
    let lines: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{}", lines.join("\n"));
    assert!(all.len() >= 12, "{} challenges", all.len());
}

#[test]
fn the_bundled_list_is_the_directory() {
    let mut on_disk: Vec<String> = std::fs::read_dir("challenges")
        .unwrap()
        .map(|e| format!("challenges/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut bundled: Vec<String> = bundled::FILES.iter().map(|(n, _)| n.to_string()).collect();
    bundled.sort();
    assert_eq!(bundled, on_disk);
}
