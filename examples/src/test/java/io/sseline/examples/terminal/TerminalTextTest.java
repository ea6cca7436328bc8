package io.sseline.examples.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void escapeSequencesCarriageReturnsAndOtherControlsAreShownNotActedOn() {
        assertThat(TerminalText.escape("hi\033[2J\033]0;owned\007there"))
                .isEqualTo("hi\\x1B[2J\\x1B]0;owned\\x07there");
        assertThat(TerminalText.escape("ok\rforged line")).isEqualTo("ok\\x0Dforged line");
        assertThat(TerminalText.escape("a\nb\tc\u007f")).isEqualTo("a\\x0Ab\\x09c\\x7F");
        assertThat(TerminalText.escape("c1 \u009b31m csi")).isEqualTo("c1 \\x9B31m csi");
        assertThat(TerminalText.escape("abc\u202edcba")).isEqualTo("abc\\u202Edcba");
    }

    @Test
    void printableTextIsUnchangedWhateverItsScript() {
        String text = "Zürich, 東京, emoji 😀, a \\ backslash";
        assertThat(TerminalText.escape(text)).isSameAs(text);
    }

    @Test
    void keepingLinesLeavesLineFeedsAndEscapesTheRest() {
        assertThat(TerminalText.escapeKeepingLines("line 1\nline\r2\033")).isEqualTo("line 1\nline\\x0D2\\x1B");
    }
}
