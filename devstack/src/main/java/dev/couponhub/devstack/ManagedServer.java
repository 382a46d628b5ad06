package dev.couponhub.devstack;

/** A started server the devstack owns; {@link #stop()} releases everything it started. */
interface ManagedServer {

    /** Stops the server and waits until it is gone. Never throws; problems are logged. */
    void stop();
}
