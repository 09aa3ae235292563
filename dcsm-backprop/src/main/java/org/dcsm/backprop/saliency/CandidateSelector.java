package org.dcsm.backprop.saliency;

import java.util.Arrays;

/**
 * Candidate selection of paper §3.3: the classes whose probability exceeds a threshold, topped up by
 * rank to at least a minimum number (paper: 0.5 and 3; the authors' code used 4).
 *
 * <p>Rules, all deterministic: a class is above the threshold when {@code p > threshold} (strictly);
 * when fewer than {@code min} classes are above it, the highest-ranked remaining classes are added
 * until there are {@code min} (or all K classes, when K &lt; min); ranks are by probability,
 * descending, ties broken by the lower channel index first. The result is in ascending channel order.
 * With {@code min = 0} and no class above the threshold the result is empty.
 */
final class CandidateSelector {

    private CandidateSelector() {
    }

    /**
     * @param probabilities one probability per channel (class id = channel + 1); not modified
     * @return the selected channel indices, ascending (a new array, possibly empty)
     */
    static int[] select(double[] probabilities, double threshold, int min) {
        int k = probabilities.length;
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        // stable sort: equal probabilities keep the lower index first
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
        boolean[] chosen = new boolean[k];
        int count = 0;
        for (int r = 0; r < k; r++) {
            int c = order[r];
            if (probabilities[c] > threshold || count < min) {
                chosen[c] = true;
                count++;
            }
        }
        int[] out = new int[count];
        int j = 0;
        for (int c = 0; c < k; c++) {
            if (chosen[c]) {
                out[j++] = c;
            }
        }
        return out;
    }
}
