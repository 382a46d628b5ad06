package dev.couponhub.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemsTests {

    enum Colour { RED, GREEN }

    @Test
    void expectationWhenEnumThenListsTheValues() {
        assertThat(Problems.expectation(Colour.class)).isEqualTo("must be one of RED, GREEN");
    }

    @Test
    void expectationWhenNumberThenWholeNumber() {
        assertThat(Problems.expectation(int.class)).isEqualTo("must be a whole number");
        assertThat(Problems.expectation(Long.class)).isEqualTo("must be a whole number");
    }

    @Test
    void expectationNeverNamesAJavaType() {
        assertThat(Problems.expectation(java.time.Instant.class)).isEqualTo("has the wrong type");
        assertThat(Problems.expectation(null)).isEqualTo("has the wrong type");
    }

    @Test
    void expectationWhenDateThenItsFormat() {
        assertThat(Problems.expectation(java.time.LocalDate.class)).isEqualTo("must be a date (YYYY-MM-DD)");
    }

    @Test
    void titleWhenNotGivenThenTheCodeInWords() {
        assertThat(StandardProblem.DEPENDENCY_UNAVAILABLE.title()).isEqualTo("Dependency unavailable");
        assertThat(ProblemCode.titleOf("NOT_STORE_OWNER")).isEqualTo("Not store owner");
    }

    @Test
    void codeWhenOnlyAStatusThenTheStandardCodeOrTheStatusName() {
        assertThat(Problems.codeFor(org.springframework.http.HttpStatus.NOT_FOUND)).isEqualTo("NOT_FOUND");
        assertThat(Problems.codeFor(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE))
                .isEqualTo("DEPENDENCY_UNAVAILABLE");
        assertThat(Problems.codeFor(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE))
                .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(Problems.codeFor(org.springframework.http.HttpStatusCode.valueOf(599))).isEqualTo("HTTP_599");
    }

    @Test
    void problemTypesAreLowerKebabCase() {
        assertThat(ProblemCode.typeOf("NOT_STORE_OWNER").toString())
                .isEqualTo("https://couponhub.dev/problems/not-store-owner");
    }
}
