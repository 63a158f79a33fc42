//! GitHub Actions workflow commands (`::warning file=...::message`), escaped as the runner
//! expects: data escapes `%`, CR and LF; properties also `:` and `,`.

/// One annotation line, newline-terminated; `level` is `error`, `warning` or `notice`.
pub fn annotation(level: &str, file: &str, line: usize, title: &str, message: &str) -> String {
    format!(
        "::{level} file={},line={line},title={}::{}\n",
        property(file),
        property(title),
        data(message)
    )
}

/// A workflow command's message: `%`, CR and LF would end or corrupt the command.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: `:` and `,` separate properties too.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_end_the_command_early() {
        assert_eq!(
            annotation("warning", "a,b:c.md", 3, "t: x", "50% done\nnext"),
            "::warning file=a%2Cb%3Ac.md,line=3,title=t%3A x::50%25 done%0Anext\n"
        );
    }
}
