package dev.couponhub.kit.outbox;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A service's entity, for the tests that write it and its event in one JPA transaction. */
@Entity
@Table(name = "kit_outbox_parcels")
class Parcel {

    @Id
    private Long id;

    private String label;

    protected Parcel() {
        // for JPA
    }

    Parcel(long id, String label) {
        this.id = id;
        this.label = label;
    }

    long id() {
        return id;
    }

    String label() {
        return label;
    }
}
