/**
 * The API describing itself: the OpenAPI 3 document micronaut-openapi writes from the controllers at build time,
 * served at {@code /openapi.yml}, and a Swagger UI page over it at {@code /swagger-ui} (files from its webjar, no
 * CDN).
 */
package dev.isthmus.control.docs;
