// Starts swagger-ui on the gateway's own OpenAPI document; "Authorize" takes an admin token.
window.addEventListener('DOMContentLoaded', function () {
  window.ui = window.SwaggerUIBundle({
    url: '../v1/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
  });
  document.body.setAttribute('data-ready', 'true');
});
