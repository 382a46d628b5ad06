package dev.couponhub.store.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StoreRequestTests {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void constructThenTextTrimmedAndBlankDescriptionDropped() {
        StoreRequest request = new StoreRequest("  Cafe  ", Category.CAFE, " Street ", "   ");

        assertThat(request.details()).isEqualTo(new StoreDetails("Cafe", Category.CAFE, "Street", null));
        assertThat(invalidFields(request)).isEmpty();
    }

    @Test
    void validateWhenMissingThenEachFieldNamed() {
        assertThat(invalidFields(new StoreRequest(null, null, null, null)))
                .containsExactlyInAnyOrder("name", "category", "address");
    }

    @Test
    void validateWhenOnlySpacesThenBlank() {
        assertThat(invalidFields(new StoreRequest("   ", Category.FOOD, "\t", null)))
                .containsExactlyInAnyOrder("name", "address");
    }

    @Test
    void validateCountsCharactersNotUtf16Units() {
        String hundredEmoji = "😀".repeat(100);

        assertThat(invalidFields(new StoreRequest(hundredEmoji, Category.FOOD, "x", null))).isEmpty();
        assertThat(invalidFields(new StoreRequest(hundredEmoji + "a", Category.FOOD, "x", null)))
                .containsExactly("name");
    }

    @Test
    void validateAtTheLimitsThenValidAndBeyondThenInvalid() {
        assertThat(invalidFields(new StoreRequest("n".repeat(100), Category.FOOD, "a".repeat(200), "d".repeat(1000))))
                .isEmpty();
        assertThat(invalidFields(new StoreRequest("n".repeat(101), Category.FOOD, "a".repeat(201), "d".repeat(1001))))
                .containsExactlyInAnyOrder("name", "address", "description");
    }

    private static Set<String> invalidFields(StoreRequest request) {
        return VALIDATOR.validate(request).stream()
                .map(ConstraintViolation::getPropertyPath)
                .map(Object::toString)
                .collect(Collectors.toSet());
    }
}
