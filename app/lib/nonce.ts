/** The CSP nonce of the page being rendered on the server (empty in the browser, which hides it). */
import { createContext, useContext } from 'react'

export const NonceContext = createContext<string | undefined>(undefined)

/** The nonce for inline scripts React Router renders (`<Scripts>`, `<ScrollRestoration>`). */
export const useNonce = () => useContext(NonceContext)
