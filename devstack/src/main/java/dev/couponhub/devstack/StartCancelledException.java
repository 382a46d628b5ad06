package dev.couponhub.devstack;

/** A component gave up starting because the devstack is closing or another component failed. */
final class StartCancelledException extends DevstackException {

    StartCancelledException(String message) {
        super(message);
    }
}
