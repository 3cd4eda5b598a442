import { styled } from 'styled-components';

/** Preformatted machine text (secrets, response bodies, JSON) in the theme's monospace font. */
export const Monospace = styled.code`
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: ${({ theme }) => theme.fontSizes[1]};
  white-space: pre-wrap;
  word-break: break-all;
`;
