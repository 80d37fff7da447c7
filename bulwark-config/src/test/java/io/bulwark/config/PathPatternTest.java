package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CloudFront path pattern semantics: whole-path match, '*' any run, '?' one char, case-sensitive.
 */
class PathPatternTest {
  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // pattern        | path                      | matches
        "*                | /                         | true",
        "*                | /anything/at/all.html     | true",
        "*                | ''                        | true",
        "/images/*        | /images/a.png             | true",
        "/images/*        | /images/                  | true",
        "/images/*        | /images/deep/b/c.png      | true", // * crosses '/'
        "/images/*        | /images                   | false",
        "/images/*        | /Images/a.png             | false", // case-sensitive
        "/images/*        | /x/images/a.png           | false", // anchored at the start
        "images/*         | /images/a.png             | true", // leading '/' implied
        "*.jpg            | /a/b/photo.jpg            | true",
        "*.jpg            | /a/b/photo.JPG            | false",
        "*.jpg            | /a/b/photo.jpg.html       | false", // anchored at the end
        "/*.jpg           | /photo.jpg                | true",
        "/*.jpg           | /a/photo.jpg              | true",
        "/a?c             | /abc                      | true",
        "/a?c             | /ac                       | false", // ? is exactly one
        "/a?c             | /abbc                     | false",
        "/a?c             | /a/c                      | true", // ? matches '/' too
        "/api/v?/*        | /api/v2/users             | true",
        "/api/v?/*        | /api/v10/users            | false",
        "/index.html      | /index.html               | true",
        "/index.html      | /index.htm                | false",
        "/index.html      | /index.html/              | false",
        "/a*b*c           | /aXXbYYc                  | true",
        "/a*b*c           | /abc                      | true",
        "/a*b*c           | /aXXbYY                   | false",
        "/a*a*a*a*b       | /aaaaaaaaaaaaaaaaaaaaaaaa | false", // backtracking terminates
        "/*/*             | /a/b                      | true",
        "/*/*             | /ab                       | false",
        "/$web/~user@x:1+ | /$web/~user@x:1+          | true", // allowed literals are literal
        "/**              | /a                        | true",
      })
  void matchesLikeCloudFront(String pattern, String path, boolean expected) {
    assertThat(PathPattern.compile(pattern).matches(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is kept as {1}")
  @CsvSource({"/api/*, /api/*", "api/*, /api/*", "*, *", "*.css, *.css"})
  void aMissingLeadingSlashIsAdded(String written, String compiled) {
    assertThat(PathPattern.compile(written).pattern()).isEqualTo(compiled);
  }
}
