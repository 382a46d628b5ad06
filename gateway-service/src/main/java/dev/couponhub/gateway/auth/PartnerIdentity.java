package dev.couponhub.gateway.auth;

/**
 * A store's server, identified by one of the store's API keys ({@code X-Api-Key}).
 *
 * @param keyId   the key
 * @param storeId the store it acts for
 */
public record PartnerIdentity(long keyId, long storeId) {

    /** Exchange attribute under which a request with a valid key carries its identity. */
    public static final String ATTRIBUTE = PartnerIdentity.class.getName();

    public PartnerIdentity {
        if (keyId <= 0 || storeId <= 0) {
            throw new IllegalArgumentException("key and store ids must be positive");
        }
    }
}
