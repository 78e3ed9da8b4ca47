/**
 * Learning remote VTEPs that are on no flood list: the bounded lock-free hand-off of requests from the lcores to the
 * control thread ({@link dev.isthmus.vswitch.learn.VtepLearnQueue}, one per lcore lane in
 * {@link dev.isthmus.vswitch.learn.VtepLearnRequests}) and the control side's record of what a domain learned
 * ({@link dev.isthmus.vswitch.learn.LearnedVteps}).
 */
package dev.isthmus.vswitch.learn;
