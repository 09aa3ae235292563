package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {

    @Test
    void controlAndBidiCharactersAreEscapedAndLongTextIsCut() {
        assertThat(UntrustedText.printable("cat\n[INFO] forged\u001b[31m")).isEqualTo("cat\\u000a[INFO] forged\\u001b[31m");
        assertThat(UntrustedText.printable("a\u202eb\u2028c\u0085d")).isEqualTo("a\\u202eb\\u2028c\\u0085d");
        assertThat(UntrustedText.printable("x".repeat(1000))).hasSize(83).endsWith("...");
        assertThat(UntrustedText.printable("chat noir é", 5)).isEqualTo("chat ...");
        assertThat(UntrustedText.printable(null)).isEqualTo("null");
    }
}
