<?xml version="1.0" encoding="utf-8"?>
<!-- Shows a case-study Atom feed as a readable page when a browser opens it.
     Feed readers ignore it. The page uses the site's stylesheet only: no
     inline script or style, which the Content Security Policy would block. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/atom:feed">
    <html lang="en" class="govuk-template govuk-template--rebranded">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (feed)</title>
        <link rel="stylesheet" href="/static/app.css"/>
      </head>
      <body class="govuk-template__body">
        <a href="#main-content" class="govuk-skip-link">Skip to main content</a>
        <header class="govuk-generic-header" role="banner">
          <div class="govuk-generic-header__container govuk-width-container">
            <div class="govuk-generic-header__logo">
              <a href="/" class="govuk-generic-header__homepage-link">Link Up, Link In</a>
            </div>
          </div>
        </header>
        <div class="govuk-width-container">
          <main class="govuk-main-wrapper" id="main-content">
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-two-thirds">
                <div class="govuk-notification-banner" role="region" aria-labelledby="feed-banner-title">
                  <div class="govuk-notification-banner__header">
                    <h2 class="govuk-notification-banner__title" id="feed-banner-title">This is a feed</h2>
                  </div>
                  <div class="govuk-notification-banner__content">
                    <p class="govuk-body">Copy the address of this page into a feed reader to hear about new case studies, or <a class="govuk-link" href="/email-alerts/get-updates/">get them by e-mail</a>.</p>
                  </div>
                </div>
                <h1 class="govuk-heading-xl"><xsl:value-of select="atom:title"/></h1>
                <xsl:if test="atom:subtitle">
                  <p class="govuk-body-l"><xsl:value-of select="atom:subtitle"/></p>
                </xsl:if>
                <xsl:choose>
                  <xsl:when test="atom:entry">
                    <ul class="govuk-list">
                      <xsl:apply-templates select="atom:entry"/>
                    </ul>
                  </xsl:when>
                  <xsl:otherwise>
                    <p class="govuk-body">No case studies have been published here yet.</p>
                  </xsl:otherwise>
                </xsl:choose>
                <p class="govuk-body">
                  <a class="govuk-link" href="{atom:link[@rel='alternate']/@href}">Browse these case studies on the site</a>
                </p>
              </div>
            </div>
          </main>
        </div>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li class="govuk-!-margin-bottom-6">
      <h2 class="govuk-heading-m govuk-!-margin-bottom-1">
        <a class="govuk-link" href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
      </h2>
      <p class="govuk-body-s govuk-!-margin-bottom-1">
        <xsl:for-each select="atom:category">
          <xsl:value-of select="@term"/>
          <xsl:if test="position() != last()"> · </xsl:if>
        </xsl:for-each>
        <xsl:text> · Published </xsl:text>
        <xsl:value-of select="substring(atom:published, 1, 10)"/>
      </p>
      <p class="govuk-body">
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="atom:summary"/>
        </xsl:call-template>
      </p>
    </li>
  </xsl:template>

  <!-- The summary is escaped HTML (plain text with &lt; and the like): shown
       as the text it stands for, never as markup. -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text">
                <xsl:call-template name="replace">
                  <xsl:with-param name="text">
                    <xsl:call-template name="replace">
                      <xsl:with-param name="text" select="$text"/>
                      <xsl:with-param name="from" select="'&amp;#x27;'"/>
                      <xsl:with-param name="to" select='"&apos;"'/>
                    </xsl:call-template>
                  </xsl:with-param>
                  <xsl:with-param name="from" select="'&amp;quot;'"/>
                  <xsl:with-param name="to" select="'&quot;'"/>
                </xsl:call-template>
              </xsl:with-param>
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$text"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
