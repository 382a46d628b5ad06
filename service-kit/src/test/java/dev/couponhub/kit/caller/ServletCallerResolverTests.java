package dev.couponhub.kit.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;

import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

class ServletCallerResolverTests {

    private final ServletCallerResolver resolver = new ServletCallerResolver();

    @SuppressWarnings("unused")
    void anyone(Caller caller) {
    }

    @SuppressWarnings("unused")
    void ownersOnly(@RequireRole(Role.OWNER) Caller caller) {
    }

    @SuppressWarnings("unused")
    void ownersAndPartners(@RequireRole({Role.OWNER, Role.PARTNER}) Caller caller) {
    }

    @Test
    void partnerWhereTheParameterNamesPartnersThenCallerOfTheStoreAndKeyWithNoUser() throws Exception {
        Caller partner = resolve("ownersAndPartners", null, "PARTNER", "31", "7");

        assertThat(partner).isEqualTo(Caller.partner(31, 7));
        assertThat(partner.userId()).isZero();
        assertThat(partner.actsFor(31, 0)).isTrue();
        assertThat(partner.actsFor(32, 0)).isFalse();
        assertThat(resolve("ownersAndPartners", "9", "OWNER").actsFor(31, 9)).isTrue();
        assertThat(resolve("ownersAndPartners", "9", "OWNER").actsFor(31, 10)).isFalse();
    }

    @Test
    void partnerAnywhereElseThenForbiddenAndWithoutItsStoreOrKeyUnauthorized() {
        // a parameter without RequireRole accepts every user role, never a partner
        assertThatThrownBy(() -> resolve("anyone", null, "PARTNER", "31", "7"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(StandardProblem.FORBIDDEN));
        assertThatThrownBy(() -> resolve("ownersOnly", null, "PARTNER", "31", "7"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(StandardProblem.FORBIDDEN));
        for (String[] ids : new String[][] {{null, "7"}, {"31", null}, {"0", "7"}, {"31", "x"}}) {
            assertThatThrownBy(() -> resolve("ownersAndPartners", null, "PARTNER", ids[0], ids[1]))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo(StandardProblem.UNAUTHORIZED));
        }
    }

    @Test
    void resolveWhenBothHeadersThenCaller() throws Exception {
        Caller caller = resolve("anyone", "42", "SHOPPER");

        assertThat(caller).isEqualTo(new Caller(42, Role.SHOPPER));
    }

    @Test
    void resolveWhenHeadersHaveSpacesOrLowerCaseRoleThenAccepted() throws Exception {
        assertThat(resolve("anyone", " 7 ", "owner")).isEqualTo(new Caller(7, Role.OWNER));
    }

    @Test
    void resolveWhenIdMissingOrInvalidThenUnauthorized() {
        for (String id : new String[] {null, "", " ", "0", "-1", "abc", "1.5", "99999999999999999999"}) {
            assertThatThrownBy(() -> resolve("anyone", id, "OWNER")).as(String.valueOf(id))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo(StandardProblem.UNAUTHORIZED));
        }
    }

    @Test
    void resolveWhenRoleMissingOrUnknownThenUnauthorized() {
        for (String role : new String[] {null, "", "KING"}) {
            assertThatThrownBy(() -> resolve("anyone", "5", role)).as(String.valueOf(role))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo(StandardProblem.UNAUTHORIZED));
        }
    }

    @Test
    void resolveWhenRoleRequiredAndOtherRoleThenForbidden() {
        assertThatThrownBy(() -> resolve("ownersOnly", "5", "ADMIN"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(StandardProblem.FORBIDDEN));
    }

    @Test
    void resolveWhenRoleRequiredAndMissingIdentityThenUnauthorizedFirst() {
        assertThatThrownBy(() -> resolve("ownersOnly", null, null))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo(StandardProblem.UNAUTHORIZED));
    }

    @Test
    void resolveWhenRoleRequiredAndMatchingThenCaller() throws Exception {
        assertThat(resolve("ownersOnly", "9", "OWNER")).isEqualTo(new Caller(9, Role.OWNER));
    }

    private Caller resolve(String methodName, String id, String role) throws Exception {
        return resolve(methodName, id, role, null, null);
    }

    private Caller resolve(String methodName, String id, String role, String storeId, String keyId) throws Exception {
        Method method = getClass().getDeclaredMethod(methodName, Caller.class);
        MethodParameter parameter = new MethodParameter(method, 0);
        assertThat(resolver.supportsParameter(parameter)).isTrue();
        MockHttpServletRequest request = new MockHttpServletRequest();
        if (id != null) {
            request.addHeader("X-User-Id", id);
        }
        if (role != null) {
            request.addHeader("X-User-Role", role);
        }
        if (storeId != null) {
            request.addHeader("X-User-Store-Id", storeId);
        }
        if (keyId != null) {
            request.addHeader("X-User-Key-Id", keyId);
        }
        return resolver.resolveArgument(parameter, null, new ServletWebRequest(request), null);
    }
}
