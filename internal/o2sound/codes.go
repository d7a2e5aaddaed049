package o2sound

// The crawler's codes, carried by the safe fetcher's and the crawler's fetch.Error (named
// here only). They reach HTTP as the answer to start-workflow when a URL is refused
// before a task exists, and otherwise as a failed task's error code.
const (
	CodeCrawlUnreachable   = "CRAWL_001"
	CodeCrawlTimeout       = "CRAWL_002"
	CodeCrawlNotHTML       = "CRAWL_003"
	CodeCrawlRobots        = "CRAWL_004"
	CodeCrawlAddress       = "CRAWL_005"
	CodeCrawlNothingUsable = "CRAWL_006"
	CodeCrawlInvalidURL    = "CRAWL_007"
	CodeCrawlHTTPStatus    = "CRAWL_008"
)

// CodeInfo is one error code: the HTTP status it answers with and what it means.
type CodeInfo struct {
	Code    string
	Status  int
	Meaning string
}

// Codes is the one registry of error codes: the API's code → status table and the
// README's error tables are checked against it (api tests), so a code exists in all
// three or in none.
var Codes = []CodeInfo{
	{CodeInvalidLogin, 401, "wrong user_id or password"},
	{CodeUserIDTaken, 409, "user_id already registered"},
	{CodeEmailTaken, 409, "email already registered to another account"},
	{CodeUnauthenticated, 401, "not signed in, or the session ended"},
	{CodeTooManyAttempts, 429, "too many failed sign-ins"},
	{CodeOAuthUnavailable, 503, "Google sign-in is not configured"},
	{CodeOAuthFailed, 400, "Google sign-in cannot start"},
	{CodeTokenInvalid, 404, "one-time token unknown, used, expired or not yours"},
	{CodeCrossOrigin, 403, "cross-origin state-changing request refused"},
	{CodeUserNotFound, 404, "user not found"},
	{CodeForbidden, 403, "the body names another user"},
	{CodeItemNotFound, 404, "business not found (or not yours)"},
	{CodeItemConflict, 409, "another of your businesses already has this url"},
	{CodeVideoNotFound, 404, "video not found (or not yours)"},
	{CodeTaskNotFound, 404, "task not found (or not yours)"},
	{CodeTaskNotActive, 409, "the task already ended"},
	{CodeTooManyTasks, 429, "too many queued tasks"},
	{CodeNoDraft, 409, "the task has no draft"},
	{CodePhotoNotFound, 404, "photo not found (or not yours)"},
	{CodePhotoFormat, 422, "not a JPEG, PNG or WebP photo"},
	{CodePhotoDamaged, 422, "damaged or truncated image"},
	{CodePhotoSize, 422, "too many pixels, or too small for video"},
	{CodePhotoTooLarge, 413, "an upload file or request over the size limit"},
	{CodePhotoQuota, 409, "the account's photo quota is used up"},
	{CodeValidation, 422, "a field failed validation"},
	{CodeBadRequest, 400, "malformed body, wrong content type, not a WebSocket handshake"},
	{CodeBodyTooLarge, 413, "body larger than 1 MiB"},
	{CodeNotFound, 404, "no such endpoint"},
	{CodeMethod, 405, "method not allowed"},
	{CodeRateLimited, 429, "rate limited"},
	{CodeRange, 416, "a Range outside the streamed file"},
	{CodePrecondition, 412, "If-Match or If-Unmodified-Since does not hold"},
	{CodeInternal, 500, "something failed on the server"},
	{CodeUnavailable, 503, "a dependency is down or the request timed out"},
	{CodeCrawlUnreachable, 422, "the site could not be reached"},
	{CodeCrawlTimeout, 422, "the site took too long to answer"},
	{CodeCrawlNotHTML, 422, "the address is not a web page"},
	{CodeCrawlRobots, 422, "the site's robots.txt does not allow O2Sound"},
	{CodeCrawlAddress, 422, "the address is private, reserved or on an unusual port"},
	{CodeCrawlNothingUsable, 422, "nothing usable found"},
	{CodeCrawlInvalidURL, 422, "not a valid web address"},
	{CodeCrawlHTTPStatus, 422, "the site answered with an error status"},
}

// StatusOf is the HTTP status of a code; ok is false for a code not in Codes.
func StatusOf(code string) (status int, ok bool) {
	for _, c := range Codes {
		if c.Code == code {
			return c.Status, true
		}
	}
	return 0, false
}
