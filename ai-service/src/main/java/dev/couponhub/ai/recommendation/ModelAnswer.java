package dev.couponhub.ai.recommendation;

import java.util.List;

/** What the model is asked to answer (Spring AI structured output): its picks, best first. */
record ModelAnswer(List<Pick> items) {

    /** One recommended coupon with a short reason for the shopper. */
    record Pick(Long couponId, String reason) {
    }
}
