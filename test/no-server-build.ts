// The Workers integration tests exercise the API, queues and Durable Objects; the web app is
// built by React Router and tested end to end in Chromium (e2e/). Requests that reach the app
// in these tests answer with this error.
throw new Error('The React Router build is not part of the Workers integration tests; see e2e/.')
