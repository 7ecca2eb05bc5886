/*
 * errors.c — the API error registry (see errors.h and docs/api.md).
 */
#include "web/errors.h"

#include <stddef.h>

const struct vk_web_error_def vk_web_errors[] = {
	{ VK_WE_BAD_REQUEST, "bad_request", 400, "The request is not valid.",
	    "Begäran är inte giltig." },
	{ VK_WE_BODY_TOO_LARGE, "body_too_large", 413,
	    "The request body is larger than the server accepts.",
	    "Begärans innehåll är större än servern tar emot." },
	{ VK_WE_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", 415,
	    "Send the body as application/json.",
	    "Skicka innehållet som application/json." },
	{ VK_WE_MALFORMED_JSON, "malformed_json", 400,
	    "The body is not valid JSON.", "Innehållet är inte giltig JSON." },
	{ VK_WE_INVALID_UTF8, "invalid_utf8", 400,
	    "The request contains text that is not valid UTF-8.",
	    "Begäran innehåller text som inte är giltig UTF-8." },
	{ VK_WE_INVALID_FIELD, "invalid_field", 400,
	    "A field is missing or has an invalid value.",
	    "Ett fält saknas eller har ett ogiltigt värde." },
	{ VK_WE_BAD_PATH, "bad_path", 400, "The path is not valid.",
	    "Sökvägen är inte giltig." },
	{ VK_WE_UNAUTHENTICATED, "unauthenticated", 401,
	    "Log in or send an API token.",
	    "Logga in eller skicka en API-nyckel." },
	{ VK_WE_FORBIDDEN, "forbidden", 403, "Your role may not do this.",
	    "Din roll får inte göra detta." },
	{ VK_WE_CSRF, "csrf_failed", 403,
	    "The form has expired or did not come from this site; reload "
	    "the page and try again.",
	    "Formuläret har gått ut eller kom inte från denna webbplats; "
	    "ladda om sidan och försök igen." },
	{ VK_WE_LOGIN_FAILED, "login_failed", 401,
	    "Wrong username or password.", "Fel användarnamn eller lösenord." },
	{ VK_WE_THROTTLED, "throttled", 429,
	    "Too many failed attempts; wait a while and try again.",
	    "För många misslyckade försök; vänta en stund och försök igen." },
	{ VK_WE_PASSWORD_POLICY, "password_policy", 400,
	    "The new password does not meet the password rules.",
	    "Det nya lösenordet uppfyller inte lösenordsreglerna." },
	{ VK_WE_NOT_FOUND, "not_found", 404,
	    "There is nothing at this address.",
	    "Det finns inget på denna adress." },
	{ VK_WE_METHOD_NOT_ALLOWED, "method_not_allowed", 405,
	    "This address does not accept that method.",
	    "Denna adress tar inte emot den metoden." },
	{ VK_WE_CONFLICT, "conflict", 409,
	    "This conflicts with what is already stored.",
	    "Detta krockar med det som redan finns sparat." },
	{ VK_WE_INTERNAL, "internal", 500,
	    "Something went wrong in the server; it has been logged.",
	    "Något gick fel i servern; det har loggats." },
	{ VK_WE_STORE_UNAVAILABLE, "store_unavailable", 503,
	    "The database cannot be reached; try again shortly.",
	    "Databasen går inte att nå; försök igen om en stund." },
};

const unsigned vk_web_nerrors =
    sizeof(vk_web_errors) / sizeof(vk_web_errors[0]);

const struct vk_web_error_def *
vk_web_error_find(enum vk_web_error code)
{
	unsigned i;

	for (i = 0; i < vk_web_nerrors; i++)
		if (vk_web_errors[i].code == code)
			return &vk_web_errors[i];
	return vk_web_error_find(VK_WE_INTERNAL);
}
