package dev.couponhub.store.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemHandlerTests {

    enum Colour { RED, GREEN }

    @Test
    void expectationWhenEnumThenListsTheValues() {
        assertThat(ProblemHandler.expectation(Colour.class)).isEqualTo("must be one of RED, GREEN");
    }

    @Test
    void expectationWhenNumberThenWholeNumber() {
        assertThat(ProblemHandler.expectation(int.class)).isEqualTo("must be a whole number");
        assertThat(ProblemHandler.expectation(Long.class)).isEqualTo("must be a whole number");
    }

    @Test
    void expectationNeverNamesAJavaType() {
        assertThat(ProblemHandler.expectation(java.time.Instant.class)).isEqualTo("has the wrong type");
        assertThat(ProblemHandler.expectation(null)).isEqualTo("has the wrong type");
    }

    @Test
    void problemTypesAreLowerKebabCase() {
        assertThat(ProblemCode.typeOf("NOT_STORE_OWNER").toString())
                .isEqualTo("https://couponhub.dev/problems/not-store-owner");
    }
}
