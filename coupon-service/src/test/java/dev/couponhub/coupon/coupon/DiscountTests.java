package dev.couponhub.coupon.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The discount rules of docs/api.md, one row per case. */
class DiscountTests {

    @ParameterizedTest(name = "{0} {1} (min {2}, cap {3}) on {4} -> {5}")
    @CsvSource(nullValues = "-", value = {
            // type,  value, minOrder, cap,  order,  discount
            "FIXED,   1000,  0,        -,    5000,   1000",
            "FIXED,   1000,  0,        -,    1000,   1000",
            "FIXED,   1000,  0,        -,    999,    999",
            "FIXED,   1000,  0,        -,    1,      1",
            "PERCENT, 10,    0,        -,    5000,   500",
            "PERCENT, 10,    0,        -,    5555,   555",
            "PERCENT, 15,    0,        -,    999,    149",
            "PERCENT, 1,     0,        -,    99,     0",
            "PERCENT, 100,   0,        -,    4321,   4321",
            "PERCENT, 10,    0,        300,  5000,   300",
            "PERCENT, 10,    0,        600,  5000,   500",
            "PERCENT, 10,    0,        500,  5000,   500",
            "PERCENT, 33,    0,        -,    9223372036854775807, 3043712772162076016",
    })
    void amountFor(DiscountType type, long value, long minOrder, Long cap, long order, long expected) {
        Discount discount = new Discount(type, value, minOrder, cap);

        assertThat(discount.amountFor(order)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "min {0} on {1} -> applies {2}")
    @CsvSource({"0, 1, true", "10000, 9999, false", "10000, 10000, true", "10000, 10001, true"})
    void appliesToFromMinOrderAmount(long minOrder, long order, boolean applies) {
        assertThat(new Discount(DiscountType.FIXED, 500, minOrder, null).appliesTo(order)).isEqualTo(applies);
    }

    @ParameterizedTest(name = "{0} {1} cap {2} is refused")
    @CsvSource(nullValues = "-", value = {"FIXED, 0, -", "PERCENT, 0, -", "PERCENT, 101, -", "FIXED, 100, 50",
            "PERCENT, 10, 0"})
    void invalidTermsAreRefused(DiscountType type, long value, Long cap) {
        assertThatThrownBy(() -> new Discount(type, value, 0, cap)).isInstanceOf(IllegalArgumentException.class);
    }
}
