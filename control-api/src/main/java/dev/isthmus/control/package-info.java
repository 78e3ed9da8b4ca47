/**
 * The appliance's main ({@link dev.isthmus.control.IsthmusMain}) and its Micronaut control plane. Controllers are
 * thin: they validate commands at the edge ({@code @Valid} records) and call one service each; refusals are the
 * exceptions of {@code .error}, answered 4xx with the reason.
 */
package dev.isthmus.control;
