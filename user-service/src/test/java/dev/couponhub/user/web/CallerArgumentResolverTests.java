package dev.couponhub.user.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallerArgumentResolverTests {

    @Test
    void headerPositiveNumberThenThatUser() {
        assertThat(CallerArgumentResolver.parseUserId("42")).isEqualTo(42);
        assertThat(CallerArgumentResolver.parseUserId(" 7 ")).isEqualTo(7);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "abc", "0", "-1", "1.5", "99999999999999999999"})
    void headerMissingOrNotAPositiveNumberThenUnauthorized(String header) {
        assertThatThrownBy(() -> CallerArgumentResolver.parseUserId(header))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(ProblemCode.UNAUTHORIZED));
    }

    @Test
    void problemTypeThenLowerKebabCaseOfTheCode() {
        assertThat(ProblemCode.INVALID_REFRESH_TOKEN.type())
                .hasToString("https://couponhub.dev/problems/invalid-refresh-token");
        assertThat(ProblemCode.EMAIL_TAKEN.type()).hasToString("https://couponhub.dev/problems/email-taken");
    }
}
