//! Reading files the program did not write (lesson, progress and scenario files)
//! without hanging and without growing without bound.
//!
//! Opening a FIFO for reading blocks until someone writes to it, and `/dev/zero` never
//! ends; so a file is opened without blocking (`O_NONBLOCK`, and `O_NOCTTY` so that a
//! terminal device never becomes the controlling terminal, POSIX `open()`), its type is
//! checked on the open descriptor (no race with a file swapped in between), and at most
//! `limit` bytes are read.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// What a file that is not a regular file is, in words.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    let common = [
        (t.is_file(), "a regular file"),
        (t.is_dir(), "a directory"),
        (t.is_symlink(), "a symbolic link"),
    ];
    #[cfg(unix)]
    let special = {
        use std::os::unix::fs::FileTypeExt;
        [
            (t.is_fifo(), "a FIFO (named pipe)"),
            (t.is_socket(), "a socket"),
            (t.is_char_device(), "a character device"),
            (t.is_block_device(), "a block device"),
        ]
    };
    #[cfg(not(unix))]
    let special: [(bool, &str); 0] = [];
    common
        .into_iter()
        .chain(special)
        .find_map(|(is, words)| is.then_some(words))
        .unwrap_or("not a regular file")
}

/// The error for a file that is not a regular file.
pub fn not_regular(meta: &std::fs::Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {}, not a regular file", kind_of(meta)),
    )
}

fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// Reads a regular file of at most `limit` bytes. A FIFO, a device, a socket or a
/// directory is refused at once, and so is a larger file (before any of it is parsed).
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let too_big = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is larger than the limit of {}", size_words(limit)),
        )
    };
    if meta.len() > limit {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read still stops at the limit.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Reads a regular UTF-8 text file of at most `limit` bytes (see [`read_regular`]).
pub fn read_regular_text(path: &Path, limit: u64) -> io::Result<String> {
    let bytes = read_regular(path, limit)?;
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// `1 MiB`, `512 KiB`, `100 bytes`.
fn size_words(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_and_others_refused() {
        let dir = std::env::temp_dir().join(format!("oauth-lab-regular-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("a.toml");
        std::fs::write(&f, "id = \"x\"\n").unwrap();
        assert_eq!(read_regular_text(&f, 100).unwrap(), "id = \"x\"\n");
        let e = read_regular_text(&f, 4).unwrap_err();
        assert_eq!(e.to_string(), "it is larger than the limit of 4 bytes");
        let e = read_regular_text(&dir, 100).unwrap_err();
        assert_eq!(e.to_string(), "it is a directory, not a regular file");
        #[cfg(unix)]
        {
            let e = read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err();
            assert_eq!(
                e.to_string(),
                "it is a character device, not a regular file"
            );
        }
        assert_eq!(size_words(1 << 20), "1 MiB");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
