/**
 * How the control API says no: one exception per kind of refusal ({@link dev.isthmus.control.error.NotFoundException}
 * 404, {@link dev.isthmus.control.error.ConflictException} 409, {@link dev.isthmus.control.error.RejectedException}
 * 400, {@link dev.isthmus.control.error.UnavailableException} 503, bean-validation failures 400), each with its own
 * handler answering an {@link dev.isthmus.control.error.ErrorResponse} that carries the reason. A refused request
 * changes nothing.
 */
package dev.isthmus.control.error;
